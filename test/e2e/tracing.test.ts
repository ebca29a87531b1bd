import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';
import { consume, gatewayForFile, saveSubscription } from '../support/persistent.js';
import { RECORD_SNAPSHOT, SNAPSHOT, STREAM_PAGE } from '../support/queries.js';
import { appendSuccess, dataOf, newEvents, postGraphQL } from '../support/test-gateway.js';
import { askOverWs, waitUntil } from '../support/ws-client.js';

/** OTLP's span kinds. */
const SERVER = 2;
const INTERNAL = 1;
/** OTLP's status code of a failed span. */
const STATUS_ERROR = 2;

let receiver: OtlpReceiver;
const TRACING_ENV = { OTEL_EXPORTER_OTLP_ENDPOINT: '', OTEL_SERVICE_NAME: 'gater-under-test', OTEL_BSP_SCHEDULE_DELAY: '20' };

// Before the gateway starts (hooks run in order), so that it traces to this receiver.
beforeAll(async () => {
  receiver = await startOtlpReceiver();
  Object.assign(process.env, TRACING_ENV, { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });
});
// After the gateway stopped (after-hooks run in reverse), so that what it sends on its stop is received.
afterAll(async () => {
  for (const name of Object.keys(TRACING_ENV)) delete process.env[name];
  console.log(JSON.stringify(receiver.spans.map((s) => [s.name, s.spanId, s.parentSpanId, s.links.length, s.attributes['gater.requests'], s.attributes['gater.items']])));
  await receiver?.close();
});

const file = gatewayForFile();
const gw = file.gw;

const APPEND_TYPENAME = /* GraphQL */ `
  mutation TracedAppend($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }
`;

async function waitForSpan(what: string, match: (span: ReceivedSpan) => boolean): Promise<ReceivedSpan> {
  await waitUntil(() => receiver.spans.some(match), `a span: ${what} (received: ${receiver.spans.map((span) => span.name).join(', ')})`);
  return receiver.spans.find(match)!;
}

const childOf = (parent: ReceivedSpan, name: string) => (span: ReceivedSpan) =>
  span.name === name && span.traceId === parent.traceId && span.parentSpanId === parent.spanId;

describe('traces over OTLP', () => {
  it('loads the SDK when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    expect(loaded.some((path) => path.includes('@opentelemetry/sdk-trace-base'))).toBe(true);
    expect(loaded.some((path) => path.includes('@opentelemetry/exporter-trace-otlp-http'))).toBe(true);
  });

  it('shows an append over HTTP as one operation span, with its append and the group-commit batch under it', async () => {
    const streamId = `traced-${randomUUID()}`;
    dataOf(await gw.gql(APPEND_TYPENAME, { input: { streamId, events: newEvents(3) } }));

    const operation = await waitForSpan('mutation TracedAppend', (span) => span.name === 'mutation TracedAppend');
    expect(operation).toMatchObject({
      kind: SERVER,
      parentSpanId: '',
      service: 'gater-under-test',
      attributes: { 'graphql.operation.type': 'mutation', 'graphql.operation.name': 'TracedAppend', 'gater.store': 'default', 'gater.outcome': 'ok' },
    });
    const append = await waitForSpan('its append', childOf(operation, 'append'));
    expect(append).toMatchObject({ kind: INTERNAL, attributes: { 'gater.store': 'default', 'gater.events': 3, 'gater.outcome': 'ok' } });
    const batch = await waitForSpan('the batch under its append', childOf(append, 'append batch'));
    expect(batch.attributes).toMatchObject({ 'gater.store': 'default', 'gater.events': 3, 'gater.requests': 1 });
  });

  it('says on the append span when the store refused it for its expected version', async () => {
    const input = { streamId: `traced-${randomUUID()}`, expectedVersion: 5, events: newEvents(1) };
    const result = dataOf(await gw.gql<{ appendEvents: { __typename: string } }>(APPEND_TYPENAME.replace('TracedAppend', 'TracedConflict'), { input }));
    expect(result.appendEvents.__typename).toBe('WrongExpectedVersionError');
    const operation = await waitForSpan('mutation TracedConflict', (span) => span.name === 'mutation TracedConflict');
    const append = await waitForSpan('its append', childOf(operation, 'append'));
    expect(append.attributes['gater.outcome']).toBe('wrong_expected_version');
  });

  it('shows a stream read over HTTP with the page read under it', async () => {
    const streamId = `traced-${randomUUID()}`;
    await appendSuccess(gw, { streamId, events: newEvents(2) });
    dataOf(await gw.gql(STREAM_PAGE, { id: streamId, first: 10 }));

    const operation = await waitForSpan('query StreamPage', (span) => span.name === 'query StreamPage');
    expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'gater.store': 'default', 'gater.outcome': 'ok' });
    const read = await waitForSpan('the page read under it', childOf(operation, 'read stream'));
    expect(read.attributes).toMatchObject({ 'gater.store': 'default', 'gater.items': 2 });
  });

  it('shows the snapshot record and read under their operations', async () => {
    const key = { sourceUuid: randomUUID(), streamUuid: `traced-${randomUUID()}` };
    dataOf(await gw.gql(RECORD_SNAPSHOT, { input: { ...key, version: 1, data: { total: 3 } } }));
    dataOf(await gw.gql(SNAPSHOT, key));

    const record = await waitForSpan('mutation RecordSnapshot', (span) => span.name === 'mutation RecordSnapshot');
    await waitForSpan('the record under it', childOf(record, 'snapshot record'));
    const read = await waitForSpan('query Snapshot', (span) => span.name === 'query Snapshot');
    await waitForSpan('the read under it', childOf(read, 'snapshot read'));
  });

  it('joins the trace of a client that sends a traceparent header', async () => {
    const traceId = randomUUID().replaceAll('-', '');
    const clientSpanId = randomUUID().replaceAll('-', '').slice(0, 16);
    dataOf(await postGraphQL(gw.url, 'query FromTracedClient { stores { id } }', undefined, { traceparent: `00-${traceId}-${clientSpanId}-01` }));
    const operation = await waitForSpan('query FromTracedClient', (span) => span.name === 'query FromTracedClient');
    expect(operation).toMatchObject({ traceId, parentSpanId: clientSpanId });
  });

  it('traces an operation that yoga answers (a GET) as one that the fast POST path answers', async () => {
    const url = new URL(gw.url);
    url.searchParams.set('query', 'query ThroughYoga { stores { id } }');
    const response = await fetch(url, { headers: { accept: 'application/json', 'graphql-require-preflight': '1' } });
    expect(response.status).toBe(200);
    const operation = await waitForSpan('query ThroughYoga', (span) => span.name === 'query ThroughYoga');
    expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'query', 'gater.outcome': 'ok' });
  });

  it('names an anonymous operation by its root field', async () => {
    dataOf(await gw.gql(`{ stores { id } }`));
    const operation = await waitForSpan('query stores', (span) => span.name === 'query stores');
    expect(operation.attributes).toMatchObject({ 'graphql.operation.name': 'stores', 'gater.outcome': 'ok' });
  });

  it('shows concurrent appends over graphql-ws each under its own operation, their batches linked to every append they carry', async () => {
    const count = 8;
    const results = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        askOverWs(file.ws.client, `mutation WsAppend${index}($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }`, {
          input: { streamId: `traced-ws-${randomUUID()}`, events: newEvents(1) },
        }),
      ),
    );
    for (const result of results) expect(dataOf(result)).toEqual({ appendEvents: { __typename: 'AppendEventsSuccess' } });

    for (let index = 0; index < count; index++) {
      const operation = await waitForSpan(`mutation WsAppend${index}`, (span) => span.name === `mutation WsAppend${index}`);
      expect(operation.attributes).toMatchObject({ 'graphql.operation.type': 'mutation', 'gater.outcome': 'ok' });
      const append = await waitForSpan(`the append of WsAppend${index}`, childOf(operation, 'append'));
      // Its batch is its child when it came first in it, else the batch links to it.
      await waitForSpan(
        `the batch that carried WsAppend${index}`,
        (span) =>
          span.name === 'append batch' &&
          ((span.traceId === append.traceId && span.parentSpanId === append.spanId) || span.links.some((link) => link.spanId === append.spanId && link.traceId === append.traceId)),
      );
    }
  });

  it('marks an operation that failed with the code the client got', async () => {
    const response = await postGraphQL(gw.url, APPEND_TYPENAME.replace('TracedAppend', 'TracedRefusal'), {
      input: { store: 'nowhere', streamId: 'x', events: newEvents(1) },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe('STORE_NOT_FOUND');
    const operation = await waitForSpan('mutation TracedRefusal', (span) => span.name === 'mutation TracedRefusal');
    expect(operation).toMatchObject({ status: { code: STATUS_ERROR }, attributes: { 'gater.outcome': 'error', 'gater.error.code': 'STORE_NOT_FOUND' } });
  });

  it('marks an operation whose variables do not fit as BAD_USER_INPUT, as the client sees it', async () => {
    const response = await postGraphQL(gw.url, APPEND_TYPENAME.replace('TracedAppend', 'TracedBadInput'), { input: { streamId: 'x' } });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const operation = await waitForSpan('mutation TracedBadInput', (span) => span.name === 'mutation TracedBadInput');
    expect(operation.attributes).toMatchObject({ 'gater.outcome': 'error', 'gater.error.code': 'BAD_USER_INPUT' });
  });

  it('traces the claims of a persistent subscription, each a trace of its own', async () => {
    const name = `traced-${randomUUID()}`;
    const streamId = `traced-${randomUUID()}`;
    await saveSubscription(gw, { name, type: 'BY_STREAM', selector: streamId });
    const consumer = consume(file.ws, name, { autoAck: true });
    await appendSuccess(gw, { streamId, events: newEvents(2) });
    await consumer.waitForEvents(2);
    expect(await Promise.all(consumer.autoAcks)).toEqual([true, true]);

    const claim = await waitForSpan('a claim for the subscription', (span) => span.name.startsWith('persistent claim') && span.attributes['gater.subscription'] === name);
    expect(claim).toMatchObject({ parentSpanId: '', attributes: { 'gater.store': 'default' } });
  });
});
