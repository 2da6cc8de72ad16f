/** Attempts before an email or a job is marked failed. */
export const MAX_ATTEMPTS = 6;

/**
 * Delay before retry number `attempt` (1 = the first retry): 30 s, 2 min, 8 min, 32 min, 2 h 8 min, capped at 6 h.
 * Deterministic, so tests and operators can say when the next try happens.
 */
export function backoffMs(attempt: number, baseMs = 30_000, capMs = 6 * 3_600_000): number {
  return Math.min(capMs, baseMs * 4 ** Math.max(0, attempt - 1));
}
