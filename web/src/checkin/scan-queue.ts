// The kiosk's offline queue: every scan gets its nonce when it is made and is stored in IndexedDB before any
// network call, so a scan survives a dead connection, a closed tab or a reload. Sending is safe to repeat: the
// server records a nonce once and answers a replay with the original result.

import { nonceStore } from "../offline/idb-store.ts";

export interface QueuedScan {
  nonce: string;
  eventId: string;
  scan: Record<string, unknown>;
  label: string;
  queuedAt: string;
}

const run = nonceStore("throughline-kiosk", "scans");

export async function queuedScans(eventId: string): Promise<QueuedScan[]> {
  const all = await run<QueuedScan[]>("readonly", (s) => s.getAll() as IDBRequest<QueuedScan[]>);
  return all.filter((q) => q.eventId === eventId).sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export function putScan(item: QueuedScan): Promise<IDBValidKey> {
  return run("readwrite", (s) => s.put(item));
}

export function removeScan(nonce: string): Promise<undefined> {
  return run("readwrite", (s) => s.delete(nonce));
}
