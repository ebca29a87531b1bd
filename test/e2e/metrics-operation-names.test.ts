import { expect, it } from 'vitest';
import { callerClient, ROLE_KEYS, ROLE_KEYS_ENV } from '../support/callers.js';
import { scrapeMetrics } from '../support/metrics.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway({ env: { GATER_API_KEYS: ROLE_KEYS_ENV } });

it('names no series after the operations of a caller without a valid credential, so that they cannot take the slots of real ones', async () => {
  const before = (await scrapeMetrics(gw.origin)).samples;
  for (const credential of [undefined, 'not-a-key']) {
    const answer = await callerClient(gw, credential).gql('query UninvitedName { __typename }');
    expect(answer.data).toEqual({ __typename: 'Query' });
  }
  expect((await callerClient(gw, ROLE_KEYS.reader).gql('query InvitedName { __typename }')).errors).toBeUndefined();

  const { samples, text } = await scrapeMetrics(gw.origin);
  const grown = (name: string) => (samples.get(name) ?? 0) - (before.get(name) ?? 0);
  expect(text).not.toContain('UninvitedName');
  expect(grown('gater_operation_duration_seconds_count{type="query",name="other"}')).toBe(2);
  expect(grown('gater_operation_duration_seconds_count{type="query",name="InvitedName"}')).toBe(1);
});
