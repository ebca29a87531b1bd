import { ClusterUnavailableError } from './cluster-errors.js';

/** Why a database call failed, when the failure is one a client can act on. */
export type DatabaseFailure = 'unavailable' | 'read_only' | 'pool_exhausted';

/** What pg-pool says when every connection stayed busy for as long as a query may wait for one. */
const POOL_WAIT_EXPIRED = 'timeout exceeded when trying to connect';

/** What node-postgres says when a new connection was not set up within its connection timeout (a server slow to accept). */
const CONNECT_TIMEOUT = 'timeout expired';

/** What pg-pool says when asked for a connection after it was ended: the gateway is stopping, and nothing was sent. */
const POOL_ENDED = 'Cannot use a pool after calling end on the pool';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND']);

/**
 * Refusals PostgreSQL makes while a connection is set up, before anything is sent on it: too many
 * clients (53300), a login refused (class 28: a revoked role, a changed password).
 */
const REFUSED_WHILE_CONNECTING = /^(?:53300|28)/;

/** 55000 (object not in prerequisite state) is a connection refused only with this message: the database is closed to new connections. */
const NOT_ACCEPTING_CONNECTIONS = /is not currently accepting connections/;

/**
 * Maps a PostgreSQL or socket error to a reason, or null when it is a bug.
 * Class 08 is a connection exception, 57P0x a server going away or still
 * starting, 3D000 a database that no longer exists, 25006 a write sent to a
 * read-only replica; the others are refusals while connecting.
 */
export function classifyDatabaseError(error: unknown): DatabaseFailure | null {
  if (!(error instanceof Error)) return null;
  if (error instanceof ClusterUnavailableError) return 'unavailable';
  // The node is there but busy: no connection was used, so nothing was sent.
  if (error.message === POOL_WAIT_EXPIRED) return 'pool_exhausted';
  if (error.message === POOL_ENDED) return 'unavailable';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    // 3D000: the database itself is gone, which no retry of the request can fix either.
    if (CONNECTION_CODES.has(code) || code.startsWith('08') || /^57P0[1-4]$/.test(code) || code === '3D000') return 'unavailable';
    if (REFUSED_WHILE_CONNECTING.test(code) || (code === '55000' && NOT_ACCEPTING_CONNECTIONS.test(error.message))) return 'unavailable';
    if (code === '25006') return 'read_only';
  }
  if (error.message === CONNECT_TIMEOUT || /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message)) {
    return 'unavailable';
  }
  return null;
}
