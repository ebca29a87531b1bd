import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { openStore } from './open-store.js';

/**
 * The floor under the gateway's appends: the same store and group committer
 * behind a bare node:http server, with no GraphQL in between (no parsing,
 * validation or execution, no access checks, limits, logs or metrics). It
 * takes the bodies the gateway takes and answers what the bench reads. What
 * it spends per request is what no work on the GraphQL side can take away.
 * Not a server anyone should run: it checks nothing.
 *
 *   node --import tsx bench/floor-server.ts <database URL> <store id> <compiled|sources>
 *
 * With `compiled`, the store code comes from `dist/` (build it first), as the gateway's does.
 */
const [databaseUrl, storeId, build] = process.argv.slice(2);
if (!databaseUrl || !storeId) throw new Error('usage: floor-server.ts <database URL> <store id> <compiled|sources>');
const { cluster, store, newEventId } = await openStore(build === 'compiled' ? '../dist' : '../src', databaseUrl, storeId);

interface AppendBody {
  variables: { input: { streamId: string; events: { type: string; data: unknown; metadata?: unknown }[] } };
}

async function append(body: AppendBody): Promise<string> {
  const { streamId, events } = body.variables.input;
  const outcome = await store.log.append({
    streamId,
    expected: { kind: 'any' },
    events: events.map((event) => ({
      id: newEventId(),
      idGenerated: true,
      type: event.type,
      data: event.data,
      metadata: event.metadata ?? null,
      dataJson: JSON.stringify(event.data),
      metadataJson: JSON.stringify(event.metadata ?? null),
      contentType: 'application/json',
    })),
  });
  if (!outcome.ok) return JSON.stringify({ errors: [{ message: outcome.reason }] });
  const { version, position } = outcome as { version: number; position: number };
  return JSON.stringify({ data: { appendEvents: { __typename: 'AppendEventsSuccess', version, position } } });
}

function answer(res: ServerResponse, status: number, json: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
}

function handle(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    append(JSON.parse(Buffer.concat(chunks).toString('utf8')) as AppendBody).then(
      (json) => answer(res, 200, json),
      (error: Error) => answer(res, 500, JSON.stringify({ errors: [{ message: error.message }] })),
    );
  });
}

const server = createServer(handle);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`serving http://127.0.0.1:${port}/graphql`);
});
process.once('SIGTERM', () => {
  server.close();
  void cluster.stop().finally(() => process.exit(0));
});
