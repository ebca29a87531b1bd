import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { ROLE_KEYS, ROLE_KEYS_ENV } from '../support/callers.js';
import { useGateway } from '../support/use-gateway.js';
import { askOverWs, connectWs } from '../support/ws-client.js';

const gw = useGateway({ env: { GATER_API_KEYS: ROLE_KEYS_ENV } });

const QUERY = 'query Guessable { stream(id: "b-merger-plan") { version } }';
const extensions = { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(QUERY).digest('hex') } };

async function post(body: Record<string, unknown>, credential?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credential) headers.authorization = `Bearer ${credential}`;
  const response = await fetch(gw.url, { method: 'POST', headers, body: JSON.stringify(body) });
  return (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}
const codes = (answer: { errors?: { extensions?: { code?: string } }[] }) => answer.errors?.map((error) => error.extensions?.code);

it('runs a document by its hash only for the caller that registered it: another cannot tell that it was ever sent', async () => {
  expect((await post({ query: QUERY, extensions }, ROLE_KEYS.admin)).data).toEqual({ stream: { version: -1 } });
  expect((await post({ extensions }, ROLE_KEYS.admin)).data).toEqual({ stream: { version: -1 } });

  for (const credential of [ROLE_KEYS.reader, undefined]) expect(codes(await post({ extensions }, credential))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  const ws = await connectWs(gw, { connectionParams: { authorization: `Bearer ${ROLE_KEYS.reader}` } });
  try {
    expect(codes(await askOverWs(ws.client, { query: '', extensions }))).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  } finally {
    await ws.dispose();
  }

  // The reader registers it for itself, as an APQ client does on PERSISTED_QUERY_NOT_FOUND.
  expect((await post({ query: QUERY, extensions }, ROLE_KEYS.reader)).data).toEqual({ stream: { version: -1 } });
  expect((await post({ extensions }, ROLE_KEYS.reader)).data).toEqual({ stream: { version: -1 } });
});
