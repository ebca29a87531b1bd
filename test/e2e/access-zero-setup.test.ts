import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusals } from '../support/callers.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';

/**
 * The laptop case: nothing configured, a loopback HOST. Every request runs as
 * admin with no setup, the log says so once, and GraphiQL and introspection
 * are on unless GATER_GRAPHIQL and GATER_INTROSPECTION turn them off.
 */
const INTROSPECTION = '{ __schema { queryType { name } } }';

async function browserPage(gw: TestGateway): Promise<{ status: number; type: string | null; html: string }> {
  const response = await fetch(gw.url, { headers: { accept: 'text/html' } });
  return { status: response.status, type: response.headers.get('content-type'), html: (await response.text()).toLowerCase() };
}

let gw: TestGateway;
const lines: string[] = [];
beforeAll(async () => {
  gw = await startTestGateway({ log: { info: (line) => lines.push(line), error: (line) => lines.push(line) } });
});
afterAll(async () => {
  await gw?.stop();
});

describe('with nothing configured on a loopback HOST', () => {
  it('serves every request without a credential as admin, and the log says so once', async () => {
    const saved = await gw.gql('mutation { saveSubscription(input: { name: "zero-setup", type: BY_STREAM, selector: "$all" }) { name } }');
    expect(saved).toEqual({ data: { saveSubscription: { name: 'zero-setup' } } });
    const nodes = await gw.gql<{ clusterNodes: { address: string }[] }>('{ clusterNodes { address } }');
    expect(nodes.errors).toBeUndefined();
    expect(nodes.data!.clusterNodes[0]!.address).toMatch(/^postgres:\/\//);
    expect(lines.filter((line) => line.includes('served as admin'))).toEqual([
      'no credential is configured: every request is served as admin, which only this machine can reach (see "Securing it" in the README)',
    ]);
  });

  it('serves GraphiQL to browsers and answers introspection', async () => {
    const page = await browserPage(gw);
    expect(page.status).toBe(200);
    expect(page.type).toMatch(/^text\/html/);
    expect(page.html).toContain('graphiql');
    expect(await gw.gql(INTROSPECTION)).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('suggests the names it knows when one is misspelt, since everyone may introspect the schema', async () => {
    const answer = await gw.gql('{ stremas { edges { cursor } } }');
    expect(answer.errors?.[0]?.message).toBe('Cannot query field "stremas" on type "Query". Did you mean "streams", "stream", or "stores"?');
  });
});

describe('GATER_GRAPHIQL=false and GATER_INTROSPECTION=false', () => {
  let closed: TestGateway;
  beforeAll(async () => {
    closed = await startTestGateway({ databaseUrl: gw.databaseUrl, env: { GATER_GRAPHIQL: 'false', GATER_INTROSPECTION: 'false' } });
  });
  afterAll(async () => {
    await closed?.stop({ keepDatabase: true });
  });

  it('turn GraphiQL and introspection off, for the anonymous admin too, while operations still run', async () => {
    const page = await browserPage(closed);
    expect(page.html).not.toContain('graphiql');
    const refused = await closed.gql(INTROSPECTION);
    expect(refusals(refused.errors)).toEqual([['FORBIDDEN', 'admin']]);
    expect(refused.errors![0]!.message).toBe('introspection of the schema is turned off (GATER_INTROSPECTION)');
    expect(await closed.gql('{ stores { id } }')).toEqual({ data: { stores: [{ id: 'default' }] } });
    expect((await closed.gql('{ stremas { edges { cursor } } }')).errors?.[0]?.message).toBe('Cannot query field "stremas" on type "Query".');
  });
});
