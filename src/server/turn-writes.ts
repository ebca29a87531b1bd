import type { ServerResponse } from 'node:http';

/**
 * Answers that are ready during one turn of the event loop are written
 * together once its I/O callbacks have run (setImmediate), instead of one by
 * one as each becomes ready.
 *
 * Written one at a time, each answer's write wakes its client while the
 * gateway goes on reading the next request: over loopback every write then
 * pays a cross-CPU wake-up, and the gateway is woken again for each request
 * that comes back. Written together, the client wakes once for the lot and
 * its next requests arrive together. Measured with wrk (32 connections) on 2
 * cores: `{ __typename }` went from 62–73 to 38–43 µs of gateway CPU per
 * request, an `events(first: 10)` query from ~200 to ~165 µs. An answer waits at most
 * for the rest of the turn it was ready in.
 */
export class TurnWrites {
  private pending: { res: ServerResponse; status: number; headers: Record<string, string | number>; body: string }[] = [];

  write(res: ServerResponse, status: number, headers: Record<string, string | number>, body: string): void {
    this.pending.push({ res, status, headers, body });
    if (this.pending.length === 1) setImmediate(this.flush);
  }

  private readonly flush = () => {
    const answers = this.pending;
    this.pending = [];
    for (const { res, status, headers, body } of answers) {
      // A client that went away meanwhile has nobody to read its answer.
      if (res.destroyed || res.headersSent) continue;
      try {
        res.writeHead(status, headers);
        res.end(body);
      } catch (error) {
        // One answer that cannot be written must not keep the rest of the turn's from theirs.
        res.destroy(error as Error);
      }
    }
  };
}
