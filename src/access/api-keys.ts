import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyGrant } from '../access-config.js';
import { StreamScope } from '../store/stream-scope.js';
import type { Caller } from './caller.js';

/**
 * The grant of the key presented, or undefined. Every configured key is
 * compared, each in constant time, so the answer takes as long whichever key
 * matched, and whether one did.
 */
export function findApiKey(grants: readonly ApiKeyGrant[], presented: string): ApiKeyGrant | undefined {
  const digest = createHash('sha256').update(presented).digest();
  let found: ApiKeyGrant | undefined;
  for (const grant of grants) {
    if (timingSafeEqual(grant.sha256, digest) && found === undefined) found = grant;
  }
  return found;
}

export function apiKeyCaller(grant: ApiKeyGrant): Caller {
  const caller: Caller = { name: grant.name, role: grant.role, stores: grant.stores, scope: StreamScope.of(grant.streams), expiresAt: undefined };
  if (grant.trustedDocumentsOnly) caller.trustedDocumentsOnly = true;
  return caller;
}
