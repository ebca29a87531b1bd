import { describe, expect, it } from 'vitest';
import { appendSuccess, newEvents } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

/** Each custom scalar is what its description in schema.graphql says it is. */
describe('the scalars', () => {
  it('Long: a JSON number; past ±2^53 an argument is refused, as a client could not hold it exactly', async () => {
    await appendSuccess(gw, { streamId: 'scalars-long', events: newEvents(1) });
    const read = await gw.gql<{ events: { edges: { node: { position: unknown; createdEpoch: unknown } }[] } }>(
      '{ events(fromPosition: 0, first: 1) { edges { node { position createdEpoch } } } }',
    );
    const [{ node }] = read.data!.events.edges as [{ node: { position: unknown; createdEpoch: unknown } }];
    expect([typeof node.position, typeof node.createdEpoch]).toEqual(['number', 'number']);
    expect(Number.isSafeInteger(node.createdEpoch)).toBe(true);

    for (const position of [Number.MAX_SAFE_INTEGER + 1, 1.5]) {
      const refused = await gw.gql('query ($p: Long) { events(fromPosition: $p) { edges { cursor } } }', { p: position });
      expect(refused.errors?.[0]?.message).toMatch(/Long must be an integer within ±2\^53/);
    }
    const literal = await gw.gql(`{ events(fromPosition: ${Number.MAX_SAFE_INTEGER + 1}) { edges { cursor } } }`);
    expect(literal.errors?.[0]?.message).toMatch(/Long must be an integer within ±2\^53/);
  });

  it("DateTime: ISO 8601 in UTC, with microseconds for events and snapshots (as their createdEpoch), milliseconds for the cluster's times", async () => {
    await appendSuccess(gw, { streamId: 'scalars-time', events: newEvents(1) });
    await gw.gql('mutation { recordSnapshot(input: { sourceUuid: "scalars", streamUuid: "scalars-time", version: 0, data: {} }) { version } }');
    const read = await gw.gql<{
      stream: { events: { edges: { node: { created: string; createdEpoch: number } }[] } };
      snapshot: { created: string; createdEpoch: number };
      cluster: { gateways: { startedAt: string; lastSeen: string }[]; nodes: { lastSeen: string | null }[] };
    }>(`{
      stream(id: "scalars-time") { events { edges { node { created createdEpoch } } } }
      snapshot(sourceUuid: "scalars", streamUuid: "scalars-time") { created createdEpoch }
      cluster { gateways { startedAt lastSeen } nodes { lastSeen } }
    }`);
    const { stream, snapshot, cluster } = read.data!;
    const micros = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
    const millis = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
    for (const recorded of [stream.events.edges[0]!.node, snapshot]) {
      expect(recorded.created).toMatch(micros);
      // The same instant as createdEpoch, to the microsecond.
      expect(recorded.created.slice(-7, -1)).toBe(String(recorded.createdEpoch % 1_000_000).padStart(6, '0'));
      expect(Date.parse(recorded.created)).toBe(Math.floor(recorded.createdEpoch / 1000));
    }
    // A node's lastSeen is null until its first probe has answered.
    const nodeTimes = cluster.nodes.flatMap((node) => (node.lastSeen === null ? [] : [node.lastSeen]));
    const clusterTimes = [...cluster.gateways.flatMap((gateway) => [gateway.startedAt, gateway.lastSeen]), ...nodeTimes];
    expect(clusterTimes.length).toBeGreaterThanOrEqual(2);
    for (const time of clusterTimes) expect(time).toMatch(millis);
  });

  it('JSON: any JSON value, sent and answered as JSON itself, not as a string', async () => {
    const data = { text: 'a', number: 1.5, list: [1, null, true], nested: { deep: [{}] } };
    await appendSuccess(gw, { streamId: 'scalars-json', events: [{ type: 'Json', data, metadata: ['a', 2] }] });
    const read = await gw.gql<{ stream: { events: { edges: { node: { data: unknown; metadata: unknown } }[] } } }>(
      '{ stream(id: "scalars-json") { events { edges { node { data metadata } } } } }',
    );
    expect(read.data!.stream.events.edges[0]!.node).toEqual({ data, metadata: ['a', 2] });
  });
});
