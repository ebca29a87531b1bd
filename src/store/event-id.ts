import { randomFillSync } from 'node:crypto';
import { V7Generator } from 'uuidv7';

/**
 * Random words for the ids, drawn from the system's CSPRNG a kilobyte at a
 * time: uuidv7's default source draws 32 bytes at a time through Web Crypto,
 * which cost more than the rest of an id (0.9 µs an id against 0.3).
 */
class PooledRandom {
  private readonly words = new Uint32Array(256);
  private next = this.words.length;

  nextUint32(): number {
    if (this.next === this.words.length) {
      randomFillSync(this.words);
      this.next = 0;
    }
    return this.words[this.next++]!;
  }
}

const generator = new V7Generator(new PooledRandom());

/**
 * The id of an event the client sent without one: a UUIDv7 (RFC 9562),
 * whose first 48 bits are the time in milliseconds, followed by a counter
 * that keeps the ids of this process increasing within a millisecond and a
 * random tail. Each new id then lands at the right-hand end of the unique
 * index on event ids, and of the persistent leases keyed by them, instead of
 * on a random page of each: less of those indexes is touched and written per
 * append (README, "Test it", has the measurements). Two gateways in the same
 * millisecond start their counters at random and add 32 random bits to each
 * id; the unique index refuses a duplicate all the same.
 */
export function newEventId(): string {
  return generator.generate().toString();
}
