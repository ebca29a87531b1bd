import type { EventStore } from '../store/event-store.js';
import { builder } from './builder.js';

export const StoreType = builder.objectRef<EventStore>('Store').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    streamCount: t.field({ type: 'Long', resolve: async (store, _args, ctx) => (await ctx.loaders().stats(store)).streamCount }),
    eventCount: t.field({ type: 'Long', resolve: async (store, _args, ctx) => (await ctx.loaders().stats(store)).eventCount }),
    headPosition: t.field({
      type: 'Long',
      description: 'Position of the newest event; 0 while the store is empty.',
      resolve: async (store, _args, ctx) => (await ctx.loaders().stats(store)).headPosition,
    }),
  }),
});

builder.queryFields((t) => ({
  stores: t.field({ type: [StoreType], resolve: (_root, _args, ctx) => ctx.door.all() }),
}));
