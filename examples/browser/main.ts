import { createClient } from 'graphql-ws';
import { print } from 'graphql';
import { graphql } from '../generated/gql.js';
import type { WatchStreamSubscription } from '../generated/graphql.js';

const WATCH_STREAM = graphql(`
  subscription WatchStream($store: ID, $streamId: String!) {
    byStream(store: $store, streamId: $streamId, fromVersion: 0) { id version type data created }
  }
`);

type StreamEvent = WatchStreamSubscription['byStream'];

// ?gateway=http://host:port/graphql&stream=order-42&store=…; by default the page's own origin.
const params = new URLSearchParams(location.search);
const gateway = new URL(params.get('gateway') ?? '/graphql', location.href);
const streamId = params.get('stream') ?? 'order-42';
const store = params.get('store');

const status = document.querySelector<HTMLParagraphElement>('#status')!;
const list = document.querySelector<HTMLOListElement>('#events')!;
document.querySelector('#stream')!.textContent = streamId;

function show(state: string, text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

function render(event: StreamEvent): void {
  const item = document.createElement('li');
  item.dataset.version = String(event.version);
  item.textContent = `${event.type} ${JSON.stringify(event.data)}`;
  list.append(item);
}

const client = createClient({
  url: gateway.href.replace(/^http/, 'ws'),
  on: { connected: () => show('live', 'live: new events appear as they are appended') },
});

client.subscribe<WatchStreamSubscription>(
  { query: print(WATCH_STREAM), variables: { streamId, store } },
  {
    next: ({ data, errors }) => {
      if (errors?.length) show('failed', errors.map((error) => error.message).join('; '));
      if (data) render(data.byStream);
    },
    error: (error) => show('failed', `closed: ${error instanceof Error ? error.message : 'the connection failed'}`),
    complete: () => show('ended', 'ended'),
  },
);
