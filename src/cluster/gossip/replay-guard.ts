/** Why a correctly signed packet is still refused. */
export type ReplayVerdict = 'ok' | 'stale' | 'replayed';

export interface ReplayGuardOptions {
  /** A packet dated further than this from the local clock, either way, is stale. Default 30 000 ms. */
  windowMs?: number;
  now?: () => number;
}

/**
 * Remembers the nonces of the packets it let through. A packet outside the
 * time window is stale, so a nonce only needs remembering for the window.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor({ windowMs = 30_000, now = Date.now }: ReplayGuardOptions = {}) {
    this.windowMs = windowMs;
    this.now = now;
  }

  check(ts: number, nonce: string): ReplayVerdict {
    const now = this.now();
    this.forgetBefore(now - this.windowMs);
    if (Math.abs(now - ts) > this.windowMs) return 'stale';
    if (this.seen.has(nonce)) return 'replayed';
    this.seen.set(nonce, ts);
    return 'ok';
  }

  private forgetBefore(cutoff: number): void {
    for (const [nonce, ts] of this.seen) {
      if (ts < cutoff) this.seen.delete(nonce);
    }
  }
}
