import type { Limits } from '../config.js';
import { limitExceeded } from './errors.js';

/**
 * What the appends of one request have written. Each append charges it
 * before it writes, so that neither aliases of `appendEvents` nor one large
 * variable given to many of them write more than the budget in one request.
 * Charging where the events are written, not by reading the operation
 * beforehand, counts exactly what is stored however the request spells it
 * (aliases, fragments, variables, literals). Mutation fields run one after
 * the other, so the appends before the one that would go past the budget
 * are written; that one and what it carries are not.
 */
export class RequestBudget {
  private events = 0;
  private bytes = 0;

  constructor(private readonly limits: Pick<Limits, 'maxRequestEvents' | 'maxRequestEventBytes'>) {}

  /** Takes an append's events and bytes of JSON from the budget, or throws LIMIT_EXCEEDED and takes nothing. */
  chargeAppend(events: number, bytes: number): void {
    const { maxRequestEvents, maxRequestEventBytes } = this.limits;
    if (this.events + events > maxRequestEvents) {
      throw limitExceeded(
        'GATER_MAX_REQUEST_EVENTS',
        `the appends of one request may write at most ${maxRequestEvents} events; with this one's ${events} they would write ${this.events + events}`,
      );
    }
    if (this.bytes + bytes > maxRequestEventBytes) {
      throw limitExceeded(
        'GATER_MAX_REQUEST_EVENT_BYTES',
        `the appends of one request may write at most ${maxRequestEventBytes} bytes of event data; with this one's ${bytes} they would write ${this.bytes + bytes}`,
      );
    }
    this.events += events;
    this.bytes += bytes;
  }
}
