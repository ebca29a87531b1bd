import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

export const ROLES = ['reader', 'writer', 'consumer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** An API key as configured: never the key itself, only its SHA-256. */
export interface ApiKeyGrant {
  /** For logs; the key's position in GATER_API_KEYS when it has no name. */
  name: string;
  sha256: Buffer;
  role: Role;
  /** Stores it may use; null: every store. */
  stores: string[] | null;
  /** Stream-id prefixes it may see and touch; null: every stream. */
  streams: string[] | null;
  /** May run only the trusted documents' manifest (`"trustedDocumentsOnly": true` in GATER_API_KEYS_FILE); absent: false. */
  trustedDocumentsOnly?: boolean;
}

export interface JwtSettings {
  /** HS256 key (`GATER_JWT_SECRET`). */
  secret: Uint8Array | undefined;
  /** Where RS256/ES256 public keys are published (`GATER_JWT_JWKS_URL`). */
  jwksUrl: URL | undefined;
  /** Least time between two fetches of the JWKS, so that tokens naming unknown keys cannot make the gateway fetch without end. Default 30 s (`GATER_JWT_JWKS_COOLDOWN_MS`). */
  jwksCooldownMs: number;
  /** Checked when set (`GATER_JWT_ISSUER`). */
  issuer: string | undefined;
  /** Checked when set (`GATER_JWT_AUDIENCE`). */
  audience: string | undefined;
  /** The claim holding `{ role, stores, streams }`. Default `gater` (`GATER_JWT_CLAIM`). */
  claim: string;
}

export interface AccessConfig {
  apiKeys: ApiKeyGrant[];
  /** Absent when neither a JWT secret nor a JWKS URL is set. */
  jwt: JwtSettings | undefined;
  /**
   * Role of requests without a credential (`GATER_ANONYMOUS_ROLE`, `none` for
   * none). Default: admin on a loopback HOST with no credential configured,
   * otherwise none.
   */
  anonymousRole: Role | null;
  /** Serve GraphiQL to browsers. Default: only when no credential is configured (`GATER_GRAPHIQL`). */
  graphiql: boolean;
  /** Who may introspect the schema. Default: everyone when no credential is configured, else admins (`GATER_INTROSPECTION`). */
  introspection: 'everyone' | 'admin' | 'nobody';
}

type Env = Record<string, string | undefined>;

function text(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function roleOf(variable: string, value: unknown, where: string): Role {
  if (typeof value === 'string' && (ROLES as readonly string[]).includes(value)) return value as Role;
  throw new ConfigError(variable, `${where}: role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(value)}`);
}

function sha256(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}

/** `key:role` pairs, comma-separated. A key is at least 16 characters, so that it cannot be guessed. */
function inlineKeys(env: Env): ApiKeyGrant[] {
  const variable = 'GATER_API_KEYS';
  const raw = text(env, variable);
  if (raw === undefined) return [];
  return raw.split(',').map((pair, index) => {
    const separator = pair.lastIndexOf(':');
    const key = pair.slice(0, separator).trim();
    const where = `entry ${index + 1}`;
    if (separator < 0 || key === '') throw new ConfigError(variable, `${where} is not key:role`);
    if (key.length < 16) throw new ConfigError(variable, `${where}: a key is at least 16 characters`);
    return { name: `GATER_API_KEYS[${index + 1}]`, sha256: sha256(key), role: roleOf(variable, pair.slice(separator + 1).trim(), where), stores: null, streams: null };
  });
}

function stringList(variable: string, value: unknown, where: string): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ConfigError(variable, `${where} must be a list of strings`);
  }
  return value as string[];
}

/** `{ "apiKeys": [ { name, key | sha256, role, stores?, streams?, trustedDocumentsOnly? } ] }`. */
function fileKeys(env: Env): ApiKeyGrant[] {
  const variable = 'GATER_API_KEYS_FILE';
  const file = text(env, variable);
  if (file === undefined) return [];
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    // JSON.parse quotes the text around a mistake, which may be part of a key: only the position is told.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const why = (error as NodeJS.ErrnoException).code ?? (position === undefined ? 'not valid JSON' : `not valid JSON at position ${position}`);
    throw new ConfigError(variable, `cannot read ${file} as JSON (${why})`);
  }
  const entries = (document as { apiKeys?: unknown })?.apiKeys;
  if (!Array.isArray(entries)) throw new ConfigError(variable, `${file} has no "apiKeys" list`);
  return entries.map((entry: Record<string, unknown>, index) => {
    const name = typeof entry?.name === 'string' && entry.name ? entry.name : `apiKeys[${index}]`;
    const where = `${file}, ${name}`;
    let digest: Buffer;
    if (typeof entry.key === 'string' && entry.key.length >= 16) digest = sha256(entry.key);
    else if (typeof entry.sha256 === 'string' && /^[0-9a-f]{64}$/i.test(entry.sha256)) digest = Buffer.from(entry.sha256, 'hex');
    else throw new ConfigError(variable, `${where}: give "key" (at least 16 characters) or "sha256" (64 hex digits)`);
    if (entry.trustedDocumentsOnly !== undefined && typeof entry.trustedDocumentsOnly !== 'boolean') {
      throw new ConfigError(variable, `${where}: trustedDocumentsOnly must be true or false`);
    }
    return {
      name,
      sha256: digest,
      role: roleOf(variable, entry.role, where),
      stores: stringList(variable, entry.stores, `${where}: stores`),
      streams: stringList(variable, entry.streams, `${where}: streams`),
      ...(entry.trustedDocumentsOnly === true ? { trustedDocumentsOnly: true } : {}),
    };
  });
}

function jwtSettings(env: Env): JwtSettings | undefined {
  const secret = text(env, 'GATER_JWT_SECRET');
  const jwks = text(env, 'GATER_JWT_JWKS_URL');
  if (secret === undefined && jwks === undefined) return undefined;
  if (secret !== undefined && secret.length < 32) {
    throw new ConfigError('GATER_JWT_SECRET', 'an HS256 secret is at least 32 characters');
  }
  let jwksUrl: URL | undefined;
  if (jwks !== undefined) {
    try {
      jwksUrl = new URL(jwks);
    } catch {
      throw new ConfigError('GATER_JWT_JWKS_URL', 'is not a URL');
    }
    if (jwksUrl.protocol !== 'https:' && jwksUrl.protocol !== 'http:') throw new ConfigError('GATER_JWT_JWKS_URL', 'must be an http(s) URL');
  }
  return {
    secret: secret === undefined ? undefined : new TextEncoder().encode(secret),
    jwksUrl,
    jwksCooldownMs: cooldownMs(env),
    issuer: text(env, 'GATER_JWT_ISSUER'),
    audience: text(env, 'GATER_JWT_AUDIENCE'),
    claim: text(env, 'GATER_JWT_CLAIM') ?? 'gater',
  };
}

function cooldownMs(env: Env): number {
  const name = 'GATER_JWT_JWKS_COOLDOWN_MS';
  const raw = text(env, name);
  if (raw === undefined) return 30_000;
  if (!/^\d+$/.test(raw) || Number(raw) > 86_400_000) throw new ConfigError(name, `expected milliseconds from 0 to 86400000, got "${raw}"`);
  return Number(raw);
}

/** 127.0.0.0/8, ::1 and localhost: only this machine can connect. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

export function flag(env: Env, name: string): boolean | undefined {
  const raw = text(env, name)?.toLowerCase();
  if (raw === undefined) return undefined;
  if (['true', '1', 'on', 'yes'].includes(raw)) return true;
  if (['false', '0', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got "${raw}"`);
}

/**
 * The line the log gives once at start-up when requests without a credential
 * act as admin; undefined when they do not. It says who can reach the
 * gateway: only this machine on a loopback HOST, anyone who reaches it otherwise.
 */
export function anonymousAdminNotice(config: AccessConfig, host: string): string | undefined {
  if (config.anonymousRole !== 'admin') return undefined;
  const credentialsConfigured = config.apiKeys.length > 0 || config.jwt !== undefined;
  if (isLoopback(host)) {
    return credentialsConfigured
      ? 'requests without a credential are served as admin (GATER_ANONYMOUS_ROLE=admin), which only this machine can reach'
      : 'no credential is configured: every request is served as admin, which only this machine can reach (see "Securing it" in the README)';
  }
  return `requests without a credential are served as admin (GATER_ANONYMOUS_ROLE=admin) to every machine that reaches ${host}`;
}

/** Who may use the gateway, from the environment; refuses an open gateway on a non-loopback interface. */
export function loadAccessConfig(env: Env, host: string): AccessConfig {
  const apiKeys = [...inlineKeys(env), ...fileKeys(env)];
  const jwt = jwtSettings(env);
  const credentialsConfigured = apiKeys.length > 0 || jwt !== undefined;
  const anonymous = text(env, 'GATER_ANONYMOUS_ROLE');
  let anonymousRole: Role | null;
  if (anonymous === undefined) {
    if (!credentialsConfigured && !isLoopback(host)) {
      throw new ConfigError(
        'HOST',
        `${host} is reachable from other machines and no credential is configured: set GATER_API_KEYS, GATER_API_KEYS_FILE or a JWT setting, ` +
          'or GATER_ANONYMOUS_ROLE to serve requests without one',
      );
    }
    anonymousRole = credentialsConfigured ? null : 'admin';
  } else {
    anonymousRole = anonymous === 'none' ? null : roleOf('GATER_ANONYMOUS_ROLE', anonymous, 'the anonymous role');
  }
  const introspection = flag(env, 'GATER_INTROSPECTION');
  return {
    apiKeys,
    jwt,
    anonymousRole,
    graphiql: flag(env, 'GATER_GRAPHIQL') ?? !credentialsConfigured,
    introspection: introspection === undefined ? (credentialsConfigured ? 'admin' : 'everyone') : introspection ? 'everyone' : 'nobody',
  };
}
