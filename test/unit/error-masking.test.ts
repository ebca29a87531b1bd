import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ClusterUnavailableError } from '../../src/cluster/cluster-errors.js';
import { StoreNotFoundError, SubscriptionNotFoundError } from '../../src/store/errors.js';
import { errorMasking } from '../../src/server/use-error-masking.js';

/** A resolver's failure as graphql-js hands it to the masking: located at a field, the cause kept. */
function atField(cause: Error): GraphQLError {
  return new GraphQLError(cause.message, { path: ['q', 'events'], originalError: cause });
}

function pgError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

function mask(error: unknown) {
  const logged: unknown[] = [];
  const masking = errorMasking({ info: () => undefined, error: (_message, cause) => logged.push(cause) });
  const masked = masking.maskError(error, 'Unexpected error.') as GraphQLError;
  return { message: masked.message, extensions: masked.extensions, path: masked.path, logged };
}

describe('what a client sees of a failure', () => {
  it('an unknown store is STORE_NOT_FOUND with the store, at the field that named it', () => {
    expect(mask(atField(new StoreNotFoundError('nope')))).toEqual({
      message: 'store "nope" does not exist',
      extensions: { code: 'STORE_NOT_FOUND', store: 'nope' },
      path: ['q', 'events'],
      logged: [],
    });
  });

  it('an unknown persistent subscription is SUBSCRIPTION_NOT_FOUND with its name', () => {
    const seen = mask(atField(new SubscriptionNotFoundError('billing')));
    expect([seen.message, seen.extensions]).toEqual([
      'persistent subscription "billing" does not exist',
      { code: 'SUBSCRIPTION_NOT_FOUND', subscription: 'billing' },
    ]);
  });

  it.each([
    ['no leader', new ClusterUnavailableError('the cluster has no leader'), 'no healthy node can serve this request: the cluster has no leader'],
    ['a refused connection', pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), 'no healthy node can serve this request: the database connection failed'],
    ['a server shutting down', pgError('57P01', 'terminating connection due to administrator command'), 'no healthy node can serve this request: the database connection failed'],
    ['a write sent to a replica', pgError('25006', 'cannot execute INSERT in a read-only transaction'), 'no healthy node can serve this request: the node that was asked is read-only'],
  ])('%s is CLUSTER_UNAVAILABLE, and not logged as a bug', (_case, cause, message) => {
    expect(mask(atField(cause))).toEqual({ message, extensions: { code: 'CLUSTER_UNAVAILABLE' }, path: ['q', 'events'], logged: [] });
  });

  it('an exhausted connection pool is CLUSTER_UNAVAILABLE saying so, and not logged as a bug', () => {
    const seen = mask(atField(new Error('timeout exceeded when trying to connect')));
    expect(seen.extensions).toEqual({ code: 'CLUSTER_UNAVAILABLE' });
    expect(seen.message).toMatch(/connection pool is exhausted.*retry/);
    expect(seen.logged).toEqual([]);
  });

  it('a flood of one failure is one log line per interval, not one per request', () => {
    const infos: string[] = [];
    const errors: unknown[] = [];
    const masking = errorMasking({ info: (line) => infos.push(line), error: (_line, cause) => errors.push(cause) });
    for (let i = 0; i < 3_000; i++) {
      masking.maskError(atField(new Error('timeout exceeded when trying to connect')), 'Unexpected error.');
      masking.maskError(atField(new TypeError('x is undefined')), 'Unexpected error.');
    }
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatch(/^request refused: .*pool is exhausted/);
    expect(errors).toHaveLength(1);
  });

  it('a cluster failure tells the client what failed, not the nodes\' addresses or the driver\'s error', () => {
    const cause = new ClusterUnavailableError('no node can serve reads: 10.0.3.7:5432 is LEADER DOWN (connect ECONNREFUSED 10.0.3.7:5432)', 'no node can serve reads');
    const seen = mask(atField(cause));
    expect(seen.message).toBe('no healthy node can serve this request: no node can serve reads');
    expect(JSON.stringify(seen)).not.toContain('10.0.3.7');
  });

  it('a bug is masked for the client and logged with its cause for the operator', () => {
    const bug = pgError('42P01', 'relation "gater_default.events" does not exist');
    expect(mask(atField(bug))).toEqual({
      message: 'Unexpected error.',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
      path: ['q', 'events'],
      logged: [bug],
    });
  });

  it('bad input keeps its own code and field', () => {
    const badInput = new GraphQLError('first: must be between 1 and 1000, got 0', { extensions: { code: 'BAD_USER_INPUT', field: 'first' } });
    expect(mask(badInput).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
