import { describe, expect, it } from 'vitest';
import { ClusterUnavailableError } from '../../src/cluster/cluster-errors.js';
import { classifyDatabaseError } from '../../src/cluster/database-errors.js';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('classifyDatabaseError', () => {
  it('tells a busy pool from a node that cannot be reached', () => {
    expect(classifyDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe('pool_exhausted');
    expect(classifyDatabaseError(new Error('timeout expired'))).toBe('unavailable');
    expect(classifyDatabaseError(new Error('Connection terminated due to connection timeout'))).toBe('unavailable');
    expect(classifyDatabaseError(withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))).toBe('unavailable');
    expect(classifyDatabaseError(withCode('the database system is starting up', '57P03'))).toBe('unavailable');
    expect(classifyDatabaseError(new ClusterUnavailableError('no leader', 'no leader'))).toBe('unavailable');
  });

  it('takes a refusal while connecting for a node that cannot serve: too many clients, a login refused', () => {
    expect(classifyDatabaseError(withCode('sorry, too many clients already', '53300'))).toBe('unavailable');
    expect(classifyDatabaseError(withCode('password authentication failed for user "gater"', '28P01'))).toBe('unavailable');
    expect(classifyDatabaseError(withCode('role "gater" is not permitted to log in', '28000'))).toBe('unavailable');
  });

  it('takes a pool ended by a stopping gateway for a node that cannot serve, not for a bug', () => {
    expect(classifyDatabaseError(new Error('Cannot use a pool after calling end on the pool'))).toBe('unavailable');
  });

  it('tells a write sent to a replica', () => {
    expect(classifyDatabaseError(withCode('cannot execute INSERT in a read-only transaction', '25006'))).toBe('read_only');
  });

  it('leaves bugs alone: they are masked and logged, not answered as a fault to retry', () => {
    expect(classifyDatabaseError(withCode('relation "gater_default.events" does not exist', '42P01'))).toBeNull();
    expect(classifyDatabaseError(withCode('currval of sequence "s" is not yet defined in this session', '55000'))).toBeNull();
    expect(classifyDatabaseError(new Error('the statement timed out expired'))).toBeNull();
    expect(classifyDatabaseError('timeout expired')).toBeNull();
  });
});
