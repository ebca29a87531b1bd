/** Causes remembered at most; past it, those whose interval ran out are forgotten. */
const MAX_CAUSES = 1_000;

/**
 * Lets a log line through once per cause per interval: a flood of one
 * failure (thousands of requests refused alike) is one line, and the next
 * line after the interval tells how many were left out.
 */
export class OncePerInterval {
  private readonly causes = new Map<string, { until: number; left: number }>();

  constructor(
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Null to leave the line out; else how many lines of this cause were left out before it. */
  admit(cause: string): { leftOut: number } | null {
    const now = this.now();
    const seen = this.causes.get(cause);
    if (seen && now < seen.until) {
      seen.left++;
      return null;
    }
    if (!seen && this.causes.size >= MAX_CAUSES) this.forgetExpired(now);
    this.causes.set(cause, { until: now + this.intervalMs, left: 0 });
    return { leftOut: seen?.left ?? 0 };
  }

  /** " (N more like it left out)" after a line that follows left-out ones; "" otherwise. */
  static suffix({ leftOut }: { leftOut: number }): string {
    return leftOut > 0 ? ` (${leftOut} more like it left out of the log)` : '';
  }

  private forgetExpired(now: number): void {
    for (const [cause, seen] of this.causes) if (seen.until <= now) this.causes.delete(cause);
  }
}
