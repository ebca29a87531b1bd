import { getPostgreSQLEventStore, type PostgresEventStore } from '@event-driven-io/emmett-postgresql';
import { runLoad } from './load.js';
import { sampleEvent } from './sample-event.js';

/** Emmett's PostgreSQL event store, used in-process as an application would, with its defaults. */
export async function openEmmett(url: string): Promise<PostgresEventStore> {
  const store = getPostgreSQLEventStore(url);
  await store.schema.migrate();
  return store;
}

/** `workers` writers, each appending `eventsPerAppend` events per call to its own stream. */
export function emmettAppend(store: PostgresEventStore, workers: number, eventsPerAppend: number, durationMs: number, round: number) {
  return runLoad(workers, durationMs, async (worker, iteration) => {
    const events = Array.from({ length: eventsPerAppend }, (_, index) => {
      const { type, data, metadata } = sampleEvent(worker, iteration * eventsPerAppend + index);
      return { type, data: data as Record<string, unknown>, metadata: metadata as Record<string, unknown> };
    });
    await store.appendToStream(`emmett-${eventsPerAppend}-${round}-${worker}`, events);
    return eventsPerAppend;
  });
}
