import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { getOperationAST, GraphQLError, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { processRegularResult, type YogaServerInstance } from 'graphql-yoga';
import { sendNodeResponse } from '@whatwg-node/server';
import type { Logger } from '../log.js';
import { stringifyWithStoredJson } from '../store/stored-json.js';
import { requestIdOf } from './request-id.js';
import { BytesInFlight } from './bytes-in-flight.js';
import { readCountedBody, refusalBeforeBody } from './counted-body.js';
import type { MaskError } from './use-graphql-ws.js';
import { headerMemo } from './header-memo.js';
import { parseJsonBody } from './json-body.js';
import { isJsonContentType, normalizeJsonContentType, notUtf8 } from './json-content-type.js';
import { stringifyResult } from './result-serializer.js';
import { TurnWrites } from './turn-writes.js';
import { DirectOperations } from './direct-operations.js';
import { asGraphQLError } from './as-graphql-error.js';
import { markAsParseFailure, shownError } from './shown-errors.js';
import { ValidDocuments } from './valid-documents.js';

type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

/** What an answer's JSON is planned from. */
type Operation = Pick<ExecutionArgs, 'schema' | 'document' | 'operationName'>;

/** What yoga's result processor answers for this Accept header when the result is a single one, or undefined when it would not answer JSON. */
function jsonMediaTypeFor(accept: string | undefined): string | undefined {
  const asked = (accept || '*/*')
    .replace(/\s/g, '')
    .toLowerCase()
    .split(',')
    .filter((part) => (part.split(';').find((param) => param.includes('charset=')) ?? 'charset=utf-8') === 'charset=utf-8')
    .map((part) => part.split(';')[0]!)
    .reverse();
  let chosen: string | undefined;
  for (const mediaType of asked) {
    const [askedType, askedSubtype] = mediaType.split('/');
    for (const offered of ['application/graphql-response+json', 'application/json']) {
      const subtype = offered.slice('application/'.length);
      if ((askedType === '*' || askedType === 'application') && (askedSubtype === '*' || askedSubtype === subtype)) chosen = offered;
    }
  }
  return chosen;
}

/** What each Accept header met lately chooses: clients send a few, always the same. */
const rememberedJsonMediaTypeFor = headerMemo(jsonMediaTypeFor);

interface Params {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Only the plain shape; anything else (batches, extra keys, wrong types) goes to yoga, which explains what is wrong. */
function plainParams(body: object): Params | undefined {
  if (!isObject(body)) return undefined;
  for (const key of Object.keys(body)) if (!['query', 'variables', 'operationName', 'extensions'].includes(key)) return undefined;
  const { query, variables, operationName, extensions } = body;
  if (typeof query !== 'string' || query.length === 0) return undefined;
  if (variables != null && !isObject(variables)) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (extensions != null && !isObject(extensions)) return undefined;
  return body as unknown as Params;
}

/** The endpoint's path, as yoga and `useExactEndpoint` take it: with a trailing slash or a query string too. */
function isEndpoint(url: string | undefined, endpoint: string): boolean {
  const path = url?.split('?', 1)[0];
  return path === endpoint || path === `${endpoint}/`;
}

/** A body of a stated length; chunked ones are yoga's to handle. */
function hasStatedLength(contentLength: string | undefined): boolean {
  return contentLength !== undefined && /^\d+$/.test(contentLength);
}

/** A GraphQL error made by GraphQL code, down to its first cause: what yoga does not count as unexpected. */
function graphqlAllTheWay(error: unknown): boolean {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || graphqlAllTheWay(error.originalError);
}

interface HttpExtension {
  status?: number;
  spec?: boolean;
  headers?: unknown;
}

/**
 * The status yoga's result processor answers errors with, for errors made by
 * GraphQL code down to their first cause (a refusal, bad input, a validation
 * failure, one masked, a body that is not JSON) that set no headers; undefined
 * for any other, which yoga's processor answers. As yoga has it: an error's
 * `extensions.http.status` is the answer's, but not the GraphQL-over-HTTP
 * spec's (`spec`) in application/json when one of the errors is GraphQL's
 * own (not one that yoga made of another, named in `extensions.originalError`),
 * and 200 when none says one.
 */
function statusOfErrors(errors: readonly GraphQLError[], mediaType: string): number | undefined {
  const specStatusesSkipped =
    mediaType === 'application/json' && errors.some((error) => !error.extensions.originalError || error.extensions.originalError instanceof GraphQLError);
  let status: number | undefined;
  for (const error of errors) {
    const http = error.extensions.http as HttpExtension | undefined;
    if (error.extensions.unexpected !== undefined || http?.headers !== undefined || !graphqlAllTheWay(error)) return undefined;
    if (!http || (specStatusesSkipped && http.spec)) continue;
    if (http.status && (!status || http.status > status)) status = http.status;
  }
  return status ?? 200;
}

export interface GraphqlPostOptions {
  maskError: MaskError;
  log: Logger;
  /** Why yoga must refuse this request (the cross-site policy), or undefined when it may run. Default: none refused. */
  refused?: (req: IncomingMessage) => string | undefined;
  /** Largest body answered; a larger one gets 413 (`GATER_MAX_BODY_BYTES`, also yoga's maxRequestBodySize). Default 16 MiB. */
  maxBodyBytes?: number;
  /** Whether this path may answer these parameters; the others go to yoga, whose onParams plugins (persisted documents) must see them. Default: all. */
  mayAnswer?: (params: Params) => boolean;
  /**
   * Told of the errors a request is refused with before it runs (its body's limits, a body that is not JSON, parsing,
   * validation), and the operation it names where known, to log them. Default: nobody.
   */
  refusedWhole?: (req: IncomingMessage, errors: readonly GraphQLError[], operationName?: string) => void;
  /** The headers yoga adds to every answer to this request (CORS for a browser's page, `Vary`). Default: none. */
  answerHeaders?: (req: IncomingMessage) => Record<string, string> | undefined;
  /** What the bodies being read count against, with WebSocket messages (`GATER_MAX_REQUEST_BYTES_IN_FLIGHT`). Default: no bound but `maxBodyBytes` each. */
  requestBytes?: BytesInFlight;
}

/**
 * The `checkContinue` listener: a client that waits for `100 Continue` before
 * it sends a body is continued, unless its body to the endpoint would be
 * refused before any of it is read; then it is answered at once, on a
 * connection that closes after, and sends nothing.
 */
export function continueOrRefuse(server: Server, endpoint: string, maxBodyBytes: number, requestBytes: BytesInFlight): NodeListener {
  return (req, res) => {
    const refused = req.method === 'POST' && isEndpoint(req.url, endpoint) && refusalBeforeBody(req, maxBodyBytes, requestBytes) !== undefined;
    if (refused) res.setHeader('connection', 'close');
    else res.writeContinue();
    server.emit('request', req, res);
  };
}

/**
 * POST /graphql with a JSON body, as services, codegen clients and browsers'
 * Apollo and urql send it, answered straight from node:http instead of
 * through yoga's Fetch API layer (Request and Response objects, body streams,
 * abort signals), which cost more CPU per request than the operation itself.
 * It runs the same envelop (plugins, parse and validation caches, context,
 * masking) and answers what yoga would, byte for byte, with the same headers.
 * Only a query or mutation that yoga would answer as JSON is executed (or
 * refused in parsing or validation) here, and a body that is not a JSON
 * object, or is a batch, is refused here; everything else (GraphiQL's page,
 * SSE, parameters of the wrong shape) is handed to yoga, with the body
 * already read. Every POST to the endpoint has its body read here, counted against
 * what requests may hold while they arrive. A request that `refused` names a
 * reason for is not: yoga refuses it, with the same check, before its body.
 */
export function graphqlPostListener(
  yoga: YogaServerInstance<object, object>,
  {
    maskError,
    log,
    refused = () => undefined,
    maxBodyBytes = 16 * 1024 * 1024,
    mayAnswer = () => true,
    refusedWhole = () => undefined,
    answerHeaders = () => undefined,
    requestBytes = new BytesInFlight(Number.MAX_SAFE_INTEGER),
  }: GraphqlPostOptions,
): NodeListener {
  const endpoint = yoga.graphqlEndpoint;
  const validDocuments = new ValidDocuments();
  const turnWrites = new TurnWrites();
  const operations = new DirectOperations(yoga, maskError);

  const handToYoga = async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const headers = new yoga.fetchAPI.Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, one);
    }
    // As yoga's own node adapter does: an SSE stream ends when its client goes away.
    const gone = new AbortController();
    res.once('close', () => gone.abort());
    const request = new yoga.fetchAPI.Request(`http://${req.headers.host ?? 'localhost'}${req.url}`, { method: 'POST', headers, body: body as unknown as BodyInit, signal: gone.signal });
    sendNodeResponse(await yoga.fetch(request, { req, res }), res, req, true);
  };

  /**
   * Errors are answered here too when yoga's processor would answer them as they are: it makes each error and
   * its cause anew to strip its internals, stack traces and all, which made a refused request cost three times
   * a stored one.
   */
  const answer = (res: ServerResponse, req: IncomingMessage, result: ExecutionResult, mediaType: string, operation?: Operation) => {
    const extraHeaders = answerHeaders(req);
    const status = result.extensions !== undefined ? undefined : result.errors === undefined ? 200 : statusOfErrors(result.errors, mediaType);
    if (status !== undefined) {
      let json: string;
      try {
        json =
          result.errors === undefined
            ? operation
              ? stringifyResult(result, operation.schema, operation.document, operation.operationName)
              : stringifyWithStoredJson(result)
            : stringifyWithStoredJson({ ...result, errors: result.errors.map(shownError) });
      } catch (error) {
        // A value nested too deep for JSON.stringify's recursion (an event stored past the API's depth limit).
        return answer(res, req, { errors: [maskError(asGraphQLError(error))] }, mediaType);
      }
      turnWrites.write(res, status, { ...extraHeaders, 'Content-Type': `${mediaType}; charset=utf-8`, 'content-length': Buffer.byteLength(json) }, json);
      return;
    }
    // Other errors may set headers or be unexpected; yoga's own processor decides, as it would.
    for (const [name, value] of Object.entries(extraHeaders ?? {})) res.setHeader(name, value);
    sendNodeResponse(processRegularResult(result as never, yoga.fetchAPI, mediaType) as Response, res, req, true);
  };

  /** Answers a request refused before it runs, and has it logged. */
  const refuseWhole = (req: IncomingMessage, res: ServerResponse, errors: readonly GraphQLError[], mediaType: string, operationName?: string) => {
    refusedWhole(req, errors, operationName);
    answer(res, req, { errors }, mediaType);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, mediaType: string, body: Buffer) => {
    const parsed = parseJsonBody(body.toString('utf8'));
    if (!parsed.ok) return refuseWhole(req, res, [parsed.error], mediaType);
    const params = plainParams(parsed.body);
    if (!params || !mayAnswer(params)) return handToYoga(req, res, body);

    const context = { req, res, params };
    const enveloped = yoga.getEnveloped(context);
    let document: DocumentNode;
    try {
      document = enveloped.parse(params.query);
    } catch (error) {
      if (!(error instanceof GraphQLError)) return handToYoga(req, res, body);
      markAsParseFailure(error);
      return refuseWhole(req, res, [error], mediaType, params.operationName ?? undefined);
    }
    const operation = getOperationAST(document, params.operationName);
    if (!operation || operation.operation === 'subscription') return handToYoga(req, res, body);
    const invalid = validDocuments.validate(enveloped.validate, enveloped.schema, document);
    if (invalid.length > 0) return refuseWhole(req, res, invalid, mediaType, operation.name?.value);

    let result: ExecutionResult;
    try {
      const contextValue = await operations.context(context, enveloped);
      const args = { schema: enveloped.schema, document, contextValue, variableValues: params.variables, operationName: params.operationName };
      result = (await operations.executorFor(enveloped)(args)) as ExecutionResult;
    } catch (error) {
      result = { errors: [maskError(asGraphQLError(error))] };
    }
    answer(res, req, result, mediaType, { schema: enveloped.schema, document, operationName: params.operationName });
  };

  /** Reads the body of a POST to the endpoint, then answers it here when `fastMediaType` says this path may, or hands it to yoga. */
  const receive = async (req: IncomingMessage, res: ServerResponse, fastMediaType: string | undefined) => {
    const read = await readCountedBody(req, maxBodyBytes, requestBytes);
    const contentType = req.headers['content-type'];
    // A fast media type was only chosen for a JSON content type.
    const json = fastMediaType !== undefined || isJsonContentType(contentType);
    const refusal = !read.ok ? read.error : json ? notUtf8(contentType, read.body) : undefined;
    if (!read.ok || refusal) return refuseWhole(req, res, [refusal!], fastMediaType ?? rememberedJsonMediaTypeFor(req.headers.accept) ?? 'application/json');
    return fastMediaType ? handle(req, res, fastMediaType, read.body) : handToYoga(req, res, read.body);
  };

  return (req, res) => {
    const { headers } = req;
    const posted = req.method === 'POST' && isEndpoint(req.url, endpoint) && refused(req) === undefined;
    if (posted) normalizeJsonContentType(headers);
    const plain =
      posted &&
      req.url === endpoint &&
      isJsonContentType(headers['content-type']) &&
      hasStatedLength(headers['content-length']) &&
      headers['content-encoding'] === undefined;
    const mediaType = plain ? rememberedJsonMediaTypeFor(headers.accept) : undefined;
    const handled = posted ? receive(req, res, mediaType) : yoga(req, res);
    void Promise.resolve(handled).catch((error: unknown) => {
      // A client that went away before its body ended has nobody to answer, and is no fault of the gateway's.
      if (req.destroyed && (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNRESET') return;
      if (!res.headersSent) res.writeHead(500);
      res.end();
      log.error('POST /graphql failed', error, { requestId: requestIdOf(req) });
    });
  };
}
