import { storeCodeRoot } from './gateway-process.js';
import { runLoad } from './load.js';
import { openStore } from './open-store.js';
import { sampleEvent } from './sample-event.js';

/**
 * The gateway's own store and group committer, called in-process by the
 * writers: no HTTP and no GraphQL. Under the floor: what the commit design
 * itself (the append function, its checks and the stream rows) allows on
 * this machine, where the bare committer is what a group committer with no
 * checks allows.
 */
export async function openCommitter(databaseUrl: string, storeId: string) {
  const { cluster, store, newEventId } = await openStore(storeCodeRoot(), databaseUrl, storeId);

  /** `workers` writers, each appending `eventsPerAppend` events per call to its own stream, as the gateway's clients do. */
  const append = (workers: number, eventsPerAppend: number, durationMs: number, round: number) =>
    runLoad(workers, durationMs, async (worker, iteration) => {
      const events = Array.from({ length: eventsPerAppend }, (_, index) => {
        const { type, data, metadata } = sampleEvent(worker, iteration * eventsPerAppend + index);
        const dataJson = JSON.stringify(data);
        const metadataJson = JSON.stringify(metadata);
        return { id: newEventId(), idGenerated: true, type, data, metadata, dataJson, metadataJson, contentType: 'application/json' };
      });
      const outcome = await store.log.append({ streamId: `committer-${eventsPerAppend}-${round}-${worker}`, expected: { kind: 'any' }, events });
      if (!outcome.ok) throw new Error(`the committer refused an append: ${outcome.reason}`);
      return eventsPerAppend;
    });
  return { append, close: () => cluster.stop() };
}
