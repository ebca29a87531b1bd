import type { Role } from '../../src/access-config.js';
import { postGraphQL, type GraphQLErrorBody, type GraphQLResponse, type TestGateway } from './test-gateway.js';

/** One API key per role, as GATER_API_KEYS takes them. */
export const ROLE_KEYS: Record<Role, string> = {
  reader: 'reader-key-0123456789abcdef',
  writer: 'writer-key-0123456789abcdef',
  consumer: 'consumer-key-0123456789abcdef',
  admin: 'admin-key-0123456789abcdef',
};

export const ROLE_KEYS_ENV = Object.entries(ROLE_KEYS)
  .map(([role, key]) => `${key}:${role}`)
  .join(',');

export interface CallerClient {
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
}

/** Posts as the holder of `credential` (an API key or a token), or with no credential at all. */
export function callerClient(gw: Pick<TestGateway, 'url'>, credential: string | undefined): CallerClient {
  const headers: Record<string, string> = credential === undefined ? {} : { authorization: `Bearer ${credential}` };
  return { gql: (query, variables) => postGraphQL(gw.url, query, variables, headers) };
}

/** code and `missing` of each error, in order: what a refusal tells its client. */
export function refusals(errors: GraphQLErrorBody[] | undefined): [string | undefined, unknown][] {
  return (errors ?? []).map((error) => [error.extensions?.code, error.extensions?.missing]);
}
