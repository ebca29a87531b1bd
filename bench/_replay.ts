import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { postJson } from './http-post.js';
import { sampleEvent } from './sample-event.js';
const url = process.argv[2]!; const total = Number(process.argv[3]); const fill = process.argv[4] === 'fill';
if (fill) {
  for (let i = 0; i < total / 1000; i++) {
    const events = Array.from({ length: 1000 }, (_, index) => sampleEvent(1, index));
    await postJson(new URL(url), JSON.stringify({ query: 'mutation F($input: AppendEventsInput!) { appendEvents(input: $input) { __typename } }', variables: { input: { streamId: `cu-${i}`, events } } }));
  }
  process.exit(0);
}
const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
const t = performance.now(); let seen = 0;
await new Promise<void>((resolve, reject) => { const d = client.subscribe({ query: 'subscription { byStream(streamId: "$all", fromPosition: 1) { id streamId version position type data metadata createdEpoch } }' }, { next: () => { if (++seen === total) { d(); resolve(); } }, error: reject, complete: () => resolve() }); });
console.log(`replayed ${seen} in ${((performance.now() - t) / 1000).toFixed(2)}s`);
await client.dispose();
