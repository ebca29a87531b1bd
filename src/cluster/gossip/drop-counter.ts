/** Why a received packet was not taken. */
export type DropReason = 'malformed' | 'forged' | 'stale' | 'replayed';

const WHY: Record<DropReason, string> = {
  malformed: 'not a gossip packet',
  forged: 'bad signature (another secret, or altered on the way)',
  stale: 'timestamp outside the allowed clock skew',
  replayed: 'nonce seen before (a replay)',
};

/** Counts dropped packets by reason, and logs each reason at most once per `logEveryMs`: a flood must not flood the log. */
export class DropCounter {
  readonly counts: Record<DropReason, number> = { malformed: 0, forged: 0, stale: 0, replayed: 0 };
  private readonly lastLogged: Partial<Record<DropReason, number>> = {};

  constructor(
    private readonly log: (message: string) => void,
    private readonly logEveryMs = 60_000,
  ) {}

  drop(reason: DropReason, from: string): void {
    this.counts[reason] += 1;
    const now = Date.now();
    if (now - (this.lastLogged[reason] ?? -Infinity) < this.logEveryMs) return;
    this.lastLogged[reason] = now;
    this.log(`gossip: dropped a packet from ${from}: ${WHY[reason]} (${this.counts[reason]} so far)`);
  }
}
