/** A fixed-window counter per key, in memory: enough for one server process guarding sign-in and public forms. */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts one attempt; false when the key is over its limit in the current window. */
  take(key: string, nowMs: number): boolean {
    const w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowMs) {
      this.windows.set(key, { start: nowMs, count: 1 });
      if (this.windows.size > 10_000) this.sweep(nowMs);
      return true;
    }
    w.count++;
    return w.count <= this.limit;
  }

  private sweep(nowMs: number): void {
    for (const [k, w] of this.windows) if (nowMs - w.start >= this.windowMs) this.windows.delete(k);
  }
}
