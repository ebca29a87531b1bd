/**
 * What clients' requests hold of the gateway's memory while they arrive: HTTP
 * bodies and WebSocket messages not yet whole, bounded together
 * (`GATER_MAX_REQUEST_BYTES_IN_FLIGHT`).
 */
export class BytesInFlight {
  private held = 0;

  constructor(readonly maxBytes: number) {}

  /** Counts `bytes` more as held, unless that would pass the bound: then counts nothing and answers false. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    return true;
  }

  /** Whether `bytes` more would fit now; counts nothing. */
  hasRoomFor(bytes: number): boolean {
    return this.held + bytes <= this.maxBytes;
  }

  give(bytes: number): void {
    this.held -= bytes;
  }
}
