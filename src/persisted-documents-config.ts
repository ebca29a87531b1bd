import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { flag, type AccessConfig } from './access-config.js';
import { ConfigError } from './config-error.js';

/** Automatic persisted queries (Apollo's protocol): documents a client sent once, run again by their hash. */
export interface ApqSettings {
  /** Most documents kept; the least recently used goes first. Default 1,000 (`GATER_APQ_MAX_DOCUMENTS`). */
  maxDocuments: number;
  /** Most bytes of document text kept. Default 16 MiB (`GATER_APQ_MAX_BYTES`). */
  maxBytes: number;
}

/** Who is held to the manifest: every caller, or only the credentials marked `trustedDocumentsOnly`. */
export type TrustedDocumentsFor = 'everyone' | 'marked';

/** Trusted documents: only the operations of a manifest may run. */
export interface TrustedDocuments {
  /** The manifest (`GATER_TRUSTED_DOCUMENTS_FILE`): document id (its hash) → document text. */
  documents: ReadonlyMap<string, string>;
  /** Who may run only the manifest's documents. Default everyone (`GATER_TRUSTED_DOCUMENTS_FOR`). */
  for: TrustedDocumentsFor;
  /** Admins may still send any document. Default false (`GATER_TRUSTED_DOCUMENTS_ADMIN_BYPASS`). */
  adminBypass: boolean;
}

export interface PersistedDocumentsConfig {
  /** Null when `GATER_APQ=false`; on by default. Not used when every caller is held to trusted documents, whose manifest is then the only store. */
  apq: ApqSettings | null;
  /** Null (the default) when `GATER_TRUSTED_DOCUMENTS_FILE` is unset: any document may run. */
  trusted: TrustedDocuments | null;
}

type Env = Record<string, string | undefined>;
type IntegerReader = (env: Env, name: string, fallback: number, min: number, max: number) => number;

const MIB = 1024 * 1024;

/** `{ "<hash>": "query …" }`, as graphql-codegen's client preset writes `persisted-documents.json`. */
function readManifest(file: string): Map<string, string> {
  const variable = 'GATER_TRUSTED_DOCUMENTS_FILE';
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(variable, `cannot read ${file} as JSON (${(error as Error).message.split('\n')[0]})`);
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    throw new ConfigError(variable, `${file} must be an object mapping document ids to documents`);
  }
  const documents = new Map<string, string>();
  for (const [id, document] of Object.entries(manifest)) {
    if (typeof document !== 'string' || document.trim() === '') throw new ConfigError(variable, `${file}: the document of "${id}" is not a GraphQL document`);
    try {
      parse(document);
    } catch (error) {
      throw new ConfigError(variable, `${file}: the document of "${id}" does not parse (${(error as Error).message})`);
    }
    for (const name of namesOf(id)) documents.set(name, document);
  }
  return documents;
}

const SHA256_HEX = /^(?:sha256:)?([0-9a-f]{64})$/i;

/**
 * The names a manifest's id is asked for by: codegen's client preset writes `sha256:<hex>` and sends it as
 * `documentId`, while APQ's `sha256Hash` is the bare hex; each finds the document under either form.
 */
function namesOf(id: string): string[] {
  const hex = SHA256_HEX.exec(id)?.[1]?.toLowerCase();
  return hex === undefined ? [id] : [id, hex, `sha256:${hex}`];
}

function trustedDocumentsFor(env: Env, file: string | undefined): TrustedDocumentsFor {
  const variable = 'GATER_TRUSTED_DOCUMENTS_FOR';
  const raw = env[variable]?.trim();
  if (!raw) return 'everyone';
  if (raw !== 'everyone' && raw !== 'marked') throw new ConfigError(variable, `expected everyone or marked, got "${raw}"`);
  if (!file) throw new ConfigError(variable, 'needs the manifest of trusted documents in GATER_TRUSTED_DOCUMENTS_FILE');
  return raw;
}

/** APQ and trusted documents, from the environment; `integer` is config.ts's reader of bounded integers. */
export function loadPersistedDocumentsConfig(env: Env, integer: IntegerReader): PersistedDocumentsConfig {
  const file = env.GATER_TRUSTED_DOCUMENTS_FILE?.trim();
  const holds = trustedDocumentsFor(env, file);
  const trusted = file ? { documents: readManifest(file), for: holds, adminBypass: flag(env, 'GATER_TRUSTED_DOCUMENTS_ADMIN_BYPASS') ?? false } : null;
  const apq =
    flag(env, 'GATER_APQ') === false || trusted?.for === 'everyone'
      ? null
      : {
          maxDocuments: integer(env, 'GATER_APQ_MAX_DOCUMENTS', 1_000, 1, 10_000_000),
          maxBytes: integer(env, 'GATER_APQ_MAX_BYTES', 16 * MIB, 1024, 4096 * MIB),
        };
  return { apq, trusted };
}

/**
 * An API key marked `trustedDocumentsOnly` needs a manifest to be held to:
 * without one it would run any document, which is not what its entry says.
 */
export function checkTrustedDocumentsKeys({ apiKeys }: Pick<AccessConfig, 'apiKeys'>, { trusted }: PersistedDocumentsConfig): void {
  const marked = apiKeys.find((grant) => grant.trustedDocumentsOnly);
  if (marked && !trusted) {
    throw new ConfigError('GATER_API_KEYS_FILE', `${marked.name} may run only trusted documents: give their manifest in GATER_TRUSTED_DOCUMENTS_FILE`);
  }
}
