import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../examples/node-service/main.js';
import { useGateway } from '../support/use-gateway.js';

describe('the typed Node service example', () => {
  const gw = useGateway();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('appends with an expected version, pages the stream, follows $all live and acks or parks each delivery, and Apollo warns of nothing', async () => {
    // Apollo Client's cache warnings (data that may be lost, fragments it cannot match) go to the console.
    const warned = (['warn', 'error'] as const).map((level) => vi.spyOn(console, level));
    const tour = await main(gw.url, 'order-tour');

    expect(tour.first).toMatchObject({ ok: true, version: 2 });
    expect(tour.conflict).toMatchObject({ ok: false, actualVersion: 2 });
    expect(tour.read.map((event) => event.version)).toEqual([0, 1, 2]);
    expect(tour.followed.map((event) => event.id)).toEqual(tour.read.map((event) => event.id));
    expect(tour.consumed.map((delivery) => delivery.event.type)).toEqual(['OrderPlaced', 'OrderPlaced', 'Noise']);
    expect(tour.acked).toEqual([true, true, true]);
    const parked = await gw.gql<{ persistentSubscriptions: { parkedCount: number; inFlightCount: number }[] }>('{ persistentSubscriptions { parkedCount inFlightCount } }');
    expect(parked.data?.persistentSubscriptions).toEqual([{ parkedCount: 1, inFlightCount: 0 }]);
    for (const spy of warned) expect(spy.mock.calls).toEqual([]);
  });
});
