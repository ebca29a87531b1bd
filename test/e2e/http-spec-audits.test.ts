import { serverAudits } from 'graphql-http';
import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

/**
 * The GraphQL-over-HTTP spec's own audits (graphql-http's serverAudits), run
 * twice on one gateway: as clients send them, so that what the fast JSON
 * POST path takes is answered there, then with every body sent in chunks,
 * which only yoga answers. Each run must pass whatever the other sent before:
 * both paths share yoga's parse and validation caches.
 */
describe.each([
  ['as clients send them (the fast path where it applies)', false],
  ['through yoga (bodies sent in chunks)', true],
])('the GraphQL-over-HTTP audits, %s', (_path, inChunks) => {
  const audits = serverAudits({
    url: () => gw.url,
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => {
      if (!inChunks || typeof init?.body !== 'string') return fetch(input, init);
      return fetch(input, { ...init, body: new Blob([init.body]).stream(), duplex: 'half' } as RequestInit);
    },
  });

  it.each(audits.filter((audit) => audit.name.startsWith('MUST') || audit.name.startsWith('SHOULD')).map((audit) => [audit.name, audit] as const))(
    '%s',
    async (_name, audit) => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    },
  );
});
