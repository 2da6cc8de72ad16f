/**
 * In-process signal from the code that queues email to the outbox worker of the same process, so a ticket goes out
 * at once rather than at the next poll. Without a worker listening it does nothing (the poll still delivers).
 */
const listeners = new Set<() => void>();

export function onEmailQueued(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emailQueued(): void {
  for (const l of listeners) l();
}
