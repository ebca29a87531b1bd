import type { Role } from '../access-config.js';
import { StreamScope } from '../store/stream-scope.js';

/** Who sent a request, and what their credential lets them reach. */
export interface Caller {
  /** For logs: the API key's name, the token's subject, or "anonymous"; never the credential. */
  name: string;
  role: Role;
  /** Stores it may use; null: every store. */
  stores: readonly string[] | null;
  /** Streams it may see and touch. */
  scope: StreamScope;
  /** When the credential stops being valid, in ms since the epoch; undefined: it does not expire. */
  expiresAt: number | undefined;
  /** Its credential may run only trusted documents (`trustedDocumentsOnly`), where GATER_TRUSTED_DOCUMENTS_FOR=marked. */
  trustedDocumentsOnly?: boolean;
}

export function anonymousCaller(role: Role): Caller {
  return { name: 'anonymous', role, stores: null, scope: StreamScope.EVERY_STREAM, expiresAt: undefined };
}
