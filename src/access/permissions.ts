import type { Role } from '../access-config.js';

/** What an operation needs of its caller. */
export type Permission = 'read' | 'write' | 'consume' | 'delete' | 'admin';

/**
 * What each role may do: reader reads, writer also appends and records snapshots, consumer also consumes
 * persistent subscriptions; admin does everything, and alone may delete streams (`delete`: erasure cannot be undone).
 */
const GRANTS: Record<Role, readonly Permission[]> = {
  reader: ['read'],
  writer: ['read', 'write'],
  consumer: ['read', 'consume'],
  admin: ['read', 'write', 'consume', 'delete', 'admin'],
};

/** In words, for refusals: "role reader may not <this>". */
const DESCRIPTIONS: Record<Permission, string> = {
  read: 'read',
  write: 'write (append events, record snapshots)',
  consume: 'consume persistent subscriptions',
  delete: 'delete streams',
  admin: 'administer (manage persistent subscriptions and snapshots, see node addresses)',
};

export function allows(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that hold a permission, in the order of ROLES. */
export function rolesWith(permission: Permission): Role[] {
  return (Object.keys(GRANTS) as Role[]).filter((role) => allows(role, permission));
}

export function describePermission(permission: Permission): string {
  return DESCRIPTIONS[permission];
}
