import { createServer } from 'node:http';

/**
 * HTTP alone, under the floor: a bare node:http server that reads each body,
 * parses its JSON and answers a fixed append result, storing nothing. What it
 * spends per request is what neither the store nor GraphQL can take away from
 * an append over node:http on this machine. Not a server anyone should run.
 *
 *   node --import tsx bench/http-only-server.ts
 */
const ANSWER = JSON.stringify({ data: { appendEvents: { __typename: 'AppendEventsSuccess', version: 0, position: 1 } } });

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(ANSWER) }).end(ANSWER);
  });
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  console.log(`serving http://127.0.0.1:${port}/graphql`);
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
