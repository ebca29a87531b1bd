/**
 * What clients' requests hold of the gateway's memory while they arrive: HTTP
 * bodies and WebSocket messages not yet whole, bounded together
 * (`GATER_MAX_REQUEST_BYTES_IN_FLIGHT`).
 */
export class BytesInFlight {
  private heldBytes = 0;
  /** Requests refused because their bytes would have passed the bound, by transport, since the start. */
  readonly refusals = { http: 0, websocket: 0 };

  constructor(readonly maxBytes: number) {}

  /** What requests hold now. */
  get held(): number {
    return this.heldBytes;
  }

  /** Counts `bytes` more as held, unless that would pass the bound: then counts nothing and answers false. */
  take(bytes: number): boolean {
    if (this.heldBytes + bytes > this.maxBytes) return false;
    this.heldBytes += bytes;
    return true;
  }

  /** Whether `bytes` more would fit now; counts nothing. */
  hasRoomFor(bytes: number): boolean {
    return this.heldBytes + bytes <= this.maxBytes;
  }

  give(bytes: number): void {
    this.heldBytes -= bytes;
  }
}
