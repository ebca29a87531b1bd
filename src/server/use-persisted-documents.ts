import { AsyncLocalStorage } from 'node:async_hooks';
import { useAPQ } from '@graphql-yoga/plugin-apq';
import { defaultExtractPersistedOperationId, usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { FetchAPI, GraphQLParams, OnParamsEventPayload, Plugin } from 'graphql-yoga';
import { LRUCache } from 'lru-cache';
import type { Authenticator } from '../access/authenticator.js';
import type { Caller } from '../access/caller.js';
import type { ApqSettings, PersistedDocumentsConfig, TrustedDocuments } from '../persisted-documents-config.js';
import { authorizationOf, type RequestSource } from './request-context.js';

/** The request's parameters as the fast path and graphql-ws see them; `documentId` is how codegen clients name a trusted document. */
export interface PersistedParams {
  query?: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
  extensions?: Record<string, unknown> | null;
  documentId?: unknown;
}

export interface PersistedDocuments {
  /** yoga's plugins: APQ, or the trusted documents' allow-list; none when both are off. */
  plugins: Plugin[];
  /** Whether the fast POST path may answer these parameters; the others go to yoga, whose plugins must see them. */
  fastPathMayAnswer(params: { extensions?: Record<string, unknown> | null }): boolean;
  /**
   * For graphql-ws, which sends the query as a string (empty when only an id is sent): the
   * parameters with the document their id names, after the same checks as over HTTP. Throws
   * the refusal as a GraphQLError.
   */
  resolve(params: PersistedParams, source: RequestSource, fetchAPI: FetchAPI): Promise<GraphQLParams>;
}

/** The least recently used documents go first, past a count or a size in bytes. */
function apqStore({ maxDocuments, maxBytes }: ApqSettings) {
  return new LRUCache<string, string>({ max: maxDocuments, maxSize: maxBytes, sizeCalculation: (document) => Math.max(1, Buffer.byteLength(document)) });
}

/** The caller of a request, from its graphql-ws connection or its Authorization header; undefined when its credential is refused. */
async function callerOf(authenticator: Authenticator, { context }: Pick<OnParamsEventPayload<object>, 'context'>): Promise<Caller | undefined> {
  const source = context as RequestSource;
  const authentication = source.extra?.authentication ?? (await authenticator.authenticate(authorizationOf(source) ?? undefined));
  return 'caller' in authentication ? authentication.caller : undefined;
}

/**
 * APQ whose documents each caller sees only if it registered them itself:
 * with one store for everyone, a caller learnt whether anyone had sent a
 * document it could guess (and the stream ids or values written in it) by
 * sending its hash alone. The bounds of the store hold over all callers.
 */
function automaticPersistedQueries(settings: ApqSettings, authenticator: Authenticator): Plugin {
  const documents = apqStore(settings);
  const callerKey = new AsyncLocalStorage<string>();
  const keyOf = (hash: string) => `${callerKey.getStore()}\n${hash}`;
  const apq = useAPQ({
    store: {
      get: (hash) => documents.get(keyOf(hash)),
      set: (hash, document) => void documents.set(keyOf(hash), document),
    },
  });
  return {
    async onParams(payload) {
      if (payload.params.extensions?.persistedQuery == null) return;
      const caller = await callerOf(authenticator, payload);
      const key = caller ? `${caller.role}\n${caller.name}` : '';
      return callerKey.run(key, () => apq.onParams!(payload));
    },
  };
}

/** A refusal before execution: a client error, whose code tells the client what to send instead. */
function refusal(code: string, message: string) {
  return { message, extensions: { code, http: { status: 400 } } };
}

/** The id a request names a document by: codegen's `documentId`, or APQ's hash. */
function documentIdOf(params: GraphQLParams & { documentId?: unknown }): string | undefined {
  if (typeof params.documentId === 'string') return params.documentId;
  const hash = (params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
  return typeof hash === 'string' ? hash : undefined;
}

/**
 * The allow-list, for the callers it holds: everyone (admins aside with
 * `adminBypass`), or only those whose credential is marked
 * `trustedDocumentsOnly`. A caller it does not hold sends any document; an
 * id names a document of the manifest, or one registered by APQ when `apq`
 * is on.
 */
function trustedDocumentsPlugin(trusted: TrustedDocuments, authenticator: Authenticator, apq: Plugin | undefined): Plugin {
  const allowList: Plugin = usePersistedOperations({
    getPersistedOperation: (id) => trusted.documents.get(id) ?? null,
    extractPersistedOperationId: (params: GraphQLParams & { documentId?: unknown }, request, context) =>
      typeof params.documentId === 'string' ? params.documentId : defaultExtractPersistedOperationId(params, request, context),
    customErrors: {
      notFound: refusal('PERSISTED_QUERY_NOT_IN_LIST', 'the document id is not one of the trusted documents'),
      keyNotFound: refusal('PERSISTED_QUERY_ONLY', 'only trusted documents may run: send documentId (or extensions.persistedQuery.sha256Hash)'),
      persistedQueryOnly: refusal('PERSISTED_QUERY_ONLY', 'only trusted documents may run: send documentId (or extensions.persistedQuery.sha256Hash) instead of the document'),
    },
  });
  return {
    ...allowList,
    onParams: async (payload) => {
      // Only an admin sending a document's text, with adminBypass, goes past the manifest; nobody else is asked who they are.
      const bypasses = async (caller?: Caller) => trusted.adminBypass && !!payload.params.query && (caller ?? (await callerOf(authenticator, payload)))?.role === 'admin';
      if (trusted.for === 'everyone') return (await bypasses()) ? undefined : allowList.onParams!(payload);
      const caller = await callerOf(authenticator, payload);
      if (caller?.trustedDocumentsOnly && !(await bypasses(caller))) return allowList.onParams!(payload);
      const params: GraphQLParams & { documentId?: unknown } = payload.params;
      const id = documentIdOf(params);
      // An id of the manifest, or a documentId (which only the manifest has), or any id when APQ is off.
      if (id !== undefined && !params.query && (trusted.documents.has(id) || typeof params.documentId === 'string' || !apq)) {
        return allowList.onParams!(payload);
      }
      return apq?.onParams!(payload);
    },
  };
}

/**
 * Persisted operations. APQ (Apollo's automatic persisted queries): a
 * request may name a document by its SHA-256 once its caller sent it in
 * full with that hash. Trusted documents: only the documents of a manifest may
 * run, named by their id, for every caller or only for the credentials
 * marked so; with `adminBypass`, admins may still send any. When it holds
 * every caller, the manifest replaces APQ.
 */
export function usePersistedDocuments({ apq, trusted }: PersistedDocumentsConfig, authenticator: Authenticator): PersistedDocuments {
  const automatic = apq ? automaticPersistedQueries(apq, authenticator) : undefined;
  const plugins: Plugin[] = trusted ? [trustedDocumentsPlugin(trusted, authenticator, automatic)] : automatic ? [automatic] : [];
  return {
    plugins,
    fastPathMayAnswer: (params) => plugins.length === 0 || (!trusted && params.extensions?.persistedQuery == null),
    async resolve(params, source, fetchAPI) {
      const namesOne = params.documentId != null || params.extensions?.persistedQuery != null;
      // A document sent as text has nothing to look up, unless only trusted documents may run.
      if (!namesOne && !trusted) return params as GraphQLParams;
      let resolved = (params.query === '' && namesOne ? { ...params, query: undefined } : params) as GraphQLParams;
      try {
        for (const plugin of plugins) {
          await plugin.onParams?.({
            params: resolved,
            setParams: (next) => (resolved = next),
            context: source as Record<string, unknown>,
            fetchAPI,
            // No plugin of these reads the request, the handler or the result over graphql-ws.
            request: undefined as never,
            paramsHandler: undefined as never,
            setParamsHandler: () => undefined,
            setResult: () => undefined,
          });
        }
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        // The HTTP status is for HTTP; graphql-ws shows the rest.
        const { http: _http, ...extensions } = error.extensions;
        throw new GraphQLError(error.message, { extensions });
      }
      return resolved;
    },
  };
}
