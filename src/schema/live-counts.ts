import { LIVE_SUBSCRIPTION_KINDS, liveSubscriptionCounts, type LiveSubscriptionCount } from '../resolvers/live-counts.js';
import { builder } from './builder.js';

const LiveSubscriptionKind = builder.enumType('LiveSubscriptionKind', {
  description:
    'BY_STREAM: byStream of one stream. ALL: byStream of "$all". BY_EVENT_TYPE, BY_EVENT_PATTERN, BY_EVENT_PAYLOAD: the subscription fields of those names.',
  values: LIVE_SUBSCRIPTION_KINDS,
});

const LiveSubscriptionCountType = builder.objectRef<LiveSubscriptionCount>('LiveSubscriptionCount').implement({
  fields: (t) => ({
    kind: t.field({ type: LiveSubscriptionKind, resolve: (entry) => entry.kind }),
    count: t.exposeInt('count'),
  }),
});

builder.queryFields((t) => ({
  liveSubscriptions: t.field({
    type: [LiveSubscriptionCountType],
    description: 'The live subscriptions this gateway serves now (over graphql-ws and SSE, for every store), by kind; every kind once.',
    resolve: (_root, _args, ctx) => liveSubscriptionCounts(ctx),
  }),
}));
