/**
 * The gateway's store `storeId` on `databaseUrl`, migrated, with no gateway
 * around it, for the scenarios that measure the store's code alone. `root`
 * is where that code comes from: `../dist` (the build, as gateways run it)
 * or `../src`.
 */
export async function openStore(root: string, databaseUrl: string, storeId: string) {
  const { createCluster } = (await import(`${root}/cluster/cluster.js`)) as typeof import('../src/cluster/cluster.js');
  const { EventStore } = (await import(`${root}/store/event-store.js`)) as typeof import('../src/store/event-store.js');
  const { newEventId } = (await import(`${root}/store/event-id.js`)) as typeof import('../src/store/event-id.js');
  const cluster = createCluster({ urls: [databaseUrl], embedded: false, log: () => undefined });
  await cluster.probed;
  const store = EventStore.open(storeId, cluster);
  await store.migrate();
  return { cluster, store, newEventId };
}
