import { RefusalError } from '../refusal-error.js';

/** How many subscriptions may run at once, live and persistent, over graphql-ws and SSE alike. */
export interface SubscriptionLimits {
  /** Per client: its credential's name, or its address when the credential names no one. Default 10,000 (`GATER_MAX_SUBSCRIPTIONS_PER_CLIENT`). */
  perClient: number;
  /** In this gateway. Default 100,000 (`GATER_MAX_SUBSCRIPTIONS`). */
  perGateway: number;
}

export const DEFAULT_SUBSCRIPTION_LIMITS: SubscriptionLimits = { perClient: 10_000, perGateway: 100_000 };

/** A subscription past one of the limits; `limit` names the variable that sets it. */
export class SubscriptionLimitError extends RefusalError {
  constructor(
    readonly limit: string,
    readonly maximum: number,
    message: string,
  ) {
    super(message);
    this.name = 'SubscriptionLimitError';
  }
}

/** Counts running subscriptions, per client and in all, and refuses one past a limit. */
export class SubscriptionSlots {
  private total = 0;
  private readonly byClient = new Map<string, number>();

  constructor(private readonly limits: SubscriptionLimits = DEFAULT_SUBSCRIPTION_LIMITS) {}

  get running(): number {
    return this.total;
  }

  /** Takes a place for one subscription of `client`, or throws SubscriptionLimitError; the answer gives it back, once. */
  take(client: string): () => void {
    const { perClient, perGateway } = this.limits;
    if (this.total >= perGateway) {
      throw new SubscriptionLimitError('GATER_MAX_SUBSCRIPTIONS', perGateway, `this gateway runs at most ${perGateway} subscriptions at once (GATER_MAX_SUBSCRIPTIONS)`);
    }
    const held = this.byClient.get(client) ?? 0;
    if (held >= perClient) {
      throw new SubscriptionLimitError(
        'GATER_MAX_SUBSCRIPTIONS_PER_CLIENT',
        perClient,
        `a client may run at most ${perClient} subscriptions at once (GATER_MAX_SUBSCRIPTIONS_PER_CLIENT)`,
      );
    }
    this.byClient.set(client, held + 1);
    this.total++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = this.byClient.get(client)! - 1;
      if (left === 0) this.byClient.delete(client);
      else this.byClient.set(client, left);
    };
  }
}
