import type { IncomingMessage, Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'node:net';
import { getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { CloseCode, MessageType, type Context, type SubscribePayload } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import type { GraphQLParams, YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Authentication, Authenticator } from '../access/authenticator.js';
import { connectionConsumerKey, consumerKeyOf } from '../resolvers/consumer-key.js';
import { InFlight } from './in-flight.js';
import type { FullLogger } from '../log.js';
import { identifyRequest, requestIdOf } from './request-id.js';
import type { ErrorMasking } from './use-error-masking.js';
import { operationLogger } from './ws-operation-log.js';
import type { ConnectionExtra } from './request-context.js';
import { SendRoom } from './send-room.js';
import { RunningOperations } from './running-operations.js';
import { SerializedPayloads } from './serialized-payloads.js';
import { ValidDocuments } from './valid-documents.js';
import type { BytesInFlight } from './bytes-in-flight.js';
import { countMessageBytesInFlight } from './message-bytes-in-flight.js';
import { DirectOperations, type Enveloped } from './direct-operations.js';
import { asGraphQLError } from './as-graphql-error.js';
import { markAsParseFailure, shownError } from './shown-errors.js';
import { withoutStack } from '../refusal-error.js';
import { documentKey, SharedResults, subscribeWithSharedResults } from './shared-subscription-results.js';

export interface GraphQLWsOptions {
  /** Most operations one connection may run at once. Default 100. */
  maxSubscriptionsPerConnection?: number;
  /** Server pings this often so dead peers are found and idle links kept. Default 12 s. */
  keepAliveMs?: number;
  /** A connection that sends no ConnectionInit within this is closed. Default 3 s. */
  connectionInitWaitTimeoutMs?: number;
  /** Largest message a client may send; past it, ws closes the socket with 1009 (message too big). Default 16 MiB. */
  maxMessageBytes?: number;
  /** Why an upgrade is refused (HTTP 403, before any graphql-ws message), or undefined to accept it. Default: every upgrade is accepted. */
  upgradeRefusal?: (request: IncomingMessage) => string | undefined;
  /** Counts the queries and mutations under way, from their message to their result, so that a stop can wait for them. Default: a counter of its own. */
  inFlight?: InFlight;
  /** How long a stop waits for clients to answer its close (1001) before it cuts them. Default 1,000 ms. */
  closeGraceMs?: number;
  /** The parameters with the document a persisted id names (APQ, trusted documents); throws a GraphQLError to refuse them. Default: as sent. */
  resolveParams?: (params: SubscribePayload, extra: ConnectionExtra) => Promise<GraphQLParams>;
  /** Bytes of results kept to share between subscriptions of the same document. Default 64 MiB. */
  sharedResultsBytes?: number;
  /** Unsent bytes a socket may hold before its subscriptions wait for it to drain. Default 16 MiB. */
  slowConsumerBytes?: number;
  /** How long a subscription waits for its socket to drain before it ends with SLOW_CONSUMER. Default 30 s. */
  slowConsumerTimeoutMs?: number;
  /** Where each operation's lines go, with its request id, and the masking that writes them. Default: subscriptions masked by `maskError`, nothing logged here. */
  operationLog?: { log: FullLogger; masking: ErrorMasking };
  /** What the messages being received count against, with HTTP bodies (`GATER_MAX_REQUEST_BYTES_IN_FLIGHT`). Default: no bound but `maxMessageBytes` per socket. */
  requestBytes?: BytesInFlight;
}

/** WebSocket close code 1001: the server is going away. */
const GOING_AWAY = 1001;

/** Hides unexpected errors from clients (and logs them); the same masking yoga applies over HTTP. */
export type MaskError = (error: GraphQLError) => GraphQLError;

/**
 * What onSubscribe hands to execute/subscribe through rootValue: yoga's
 * enveloped execute, the socket's room, and what the cache key is made of.
 * A class, not a literal with a getter: a subscription keeps its root as
 * long as it runs, and the literal kept its properties in a dictionary of
 * its own, with a closure for the getter, about 400 bytes each.
 */
class EnvelopedRoot {
  constructor(
    readonly execute: (args: ExecutionArgs) => ExecutionResult | Promise<ExecutionResult>,
    /** The socket's room for more messages. */
    readonly room: SendRoom,
    private readonly params: SubscribePayload,
    private readonly extra: ConnectionExtra,
  ) {}

  /** Callers with other scopes never share a result, whatever the document. Only subscriptions read it. */
  get documentKey(): string {
    const { query, operationName, variables } = this.params;
    return `${sharingKey(this.extra.authentication)}\n${documentKey(query, operationName, variables)}`;
  }
}

/**
 * Messages a socket's operations may hand it in one turn of the event loop
 * before their sends are acknowledged on the next turn: one subscriber
 * replaying history sends this many events per turn, and other sockets get
 * their turn in between.
 */
const MESSAGES_PER_TURN = 256;

/**
 * Sending operations on one socket up to which its sends are acknowledged as
 * soon as they are queued. Past that (a client following a thousand streams
 * over a few sockets), each operation sends one message a turn: acknowledged
 * at once, the first operations of a turn took many events each while the
 * others fell behind, past their buffers, and back to reading the database,
 * which halved what a gateway delivered to a thousand `$all` subscribers.
 */
const FEW_OPERATIONS = 4;

/**
 * Holds a socket's writes until the event loop turns, so the messages one
 * event fans out to many subscriptions on that socket, or one subscriber's
 * replayed events, leave in one write; puts back the payloads serialised once
 * for many subscribers; and tells the socket's room what it holds.
 *
 * graphql-ws sends an operation's next message only once the socket's write
 * callback has run for the previous one, which with the socket corked is a
 * turn of the event loop later: one event per turn for a subscriber catching
 * up. The socket's room already bounds what it holds (an operation takes its
 * next event only while the socket has room), so a send is acknowledged as
 * soon as it is queued, up to `MESSAGES_PER_TURN` a turn; past that, when the
 * held writes go out.
 */
function prepareSocket(socket: WebSocket, payloads: SerializedPayloads, room: SendRoom): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  const send = socket.send.bind(socket);
  let corked = false;
  let sentThisTurn = 0;
  let nextTurn: (() => void)[] = [];
  const turn = () => {
    corked = false;
    sentThisTurn = 0;
    raw?.uncork();
    const waiting = nextTurn;
    nextTurn = [];
    for (const acknowledge of waiting) acknowledge();
  };
  socket.send = ((data: Parameters<WebSocket['send']>[0], ...rest: unknown[]) => {
    if (!corked) {
      corked = true;
      raw?.cork();
      setImmediate(turn);
    }
    const last = rest[rest.length - 1];
    const callback = typeof last === 'function' ? (last as (error?: Error) => void) : undefined;
    const message = typeof data === 'string' ? payloads.fill(socket, data) : data;
    if (callback && socket.readyState === socket.OPEN) {
      // A failed write closes the socket, which ends its operations; the callback need not wait for it.
      (send as (...args: unknown[]) => void)(message, ...rest.slice(0, -1), () => undefined);
      if (room.tenantCount <= FEW_OPERATIONS && ++sentThisTurn <= MESSAGES_PER_TURN) queueMicrotask(() => callback());
      else nextTurn.push(() => callback());
    } else {
      (send as (...args: unknown[]) => void)(message, ...rest);
    }
    room.sent();
  }) as WebSocket['send'];
}

/**
 * What graphql-ws's ws adapter hears of a socket's events:
 * - A message as its text, not the Buffer ws read it into. The adapter's
 *   handler keeps its argument until the operation the message started ends,
 *   and a subscribe message's Buffer (a slice of an 8 KiB pool slab, which it
 *   keeps whole) then lived as long as the subscription: about 300 bytes for
 *   every idle subscription. The adapter reads the text anyway.
 * - No message of a type only a server sends: the socket is closed with
 *   4400 instead (see `sentByServerOnly`).
 * - No message at all once the gateway has closed the socket.
 * - No error for a message past maxPayload: ws refuses it by closing the
 *   socket with 1009, and then emits the error, which graphql-ws would log as
 *   an internal error, one log line for every oversized message a client
 *   chooses to send.
 */
function adaptSocketEvents(socket: WebSocket): void {
  const emit = socket.emit.bind(socket);
  socket.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'message') {
      // Closed by the gateway (stopping, a credential expired): the close may have crossed this message on the
      // wire, and an operation run now could not be answered. Not run, it has written nothing.
      if (socket.readyState !== socket.OPEN) return false;
      const text = String(args[0]);
      if (!sentByServerOnly(text)) return emit(event, text, args[1]);
      socket.close(CloseCode.BadRequest, 'Invalid message received');
      return true;
    }
    if (event === 'error' && (args[0] as { code?: unknown } | undefined)?.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return false;
    return emit(event, ...args);
  }) as WebSocket['emit'];
}

/** Where a message may name a type only a server sends; most messages do not, and are not parsed twice. */
const MAY_NAME_SERVER_TYPE = /"(?:next|error|connection_ack)"/;

/**
 * A message of a type only a server sends (next, error, connection_ack):
 * graphql-ws takes it as well formed, then fails on it, which closes the
 * socket with 4500 (every operation on it ended) and writes a stack trace
 * to the console, for any client that cares to send one. It is refused as
 * an invalid message instead, as graphql-ws refuses other invalid messages.
 */
function sentByServerOnly(text: string): boolean {
  if (!MAY_NAME_SERVER_TYPE.test(text)) return false;
  let type: unknown;
  try {
    type = (JSON.parse(text) as { type?: unknown } | null)?.type;
  } catch {
    return false;
  }
  return type === MessageType.Next || type === MessageType.Error || type === MessageType.ConnectionAck;
}

function closed(socket: WebSocket): Promise<void> {
  return socket.readyState === socket.CLOSED ? Promise.resolve() : new Promise((resolve) => socket.once('close', () => resolve()));
}

/** As yoga answers a document with no operation of the name given (or several, and no name). */
function operationNotFound(): GraphQLError {
  return withoutStack(() => new GraphQLError('Could not determine what operation to execute.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }));
}

/** setTimeout's longest delay; a credential valid for longer is checked again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A socket's access ends with its credential: closed with 4403 when the token's `exp` passes. */
function closeWhenExpired(socket: WebSocket, authentication: Authentication): void {
  const expiresAt = 'caller' in authentication ? authentication.caller.expiresAt : undefined;
  if (expiresAt === undefined) return;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) socket.close(4403, 'Forbidden: the credential has expired');
    else timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  socket.once('close', () => clearTimeout(timer));
}

/** Who may share executed results: callers of the same role and scopes. */
function sharingKey(authentication: Authentication | undefined): string {
  if (!authentication || !('caller' in authentication)) return '';
  const { role, stores, scope } = authentication.caller;
  return JSON.stringify([role, stores, scope.prefixes]);
}

/**
 * graphql-ws on the HTTP server's /graphql path. Every operation runs
 * through yoga's envelop (getEnveloped), so the plugins that shape HTTP
 * requests (error masking, context) apply to WebSocket operations too.
 */
export function useGraphQLWs(
  server: Server,
  yoga: YogaServerInstance<object, object>,
  maskError: MaskError,
  authenticator: Authenticator,
  options: GraphQLWsOptions = {},
) {
  const {
    maxSubscriptionsPerConnection = 100,
    keepAliveMs = 12_000,
    connectionInitWaitTimeoutMs = 3_000,
    upgradeRefusal,
    sharedResultsBytes,
    slowConsumerBytes = 16 * 2 ** 20,
    slowConsumerTimeoutMs = 30_000,
  } = options;
  const { inFlight = new InFlight(), closeGraceMs = 1_000, resolveParams, operationLog } = options;
  const opLog = operationLogger(operationLog);
  const wsServer = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    maxPayload: options.maxMessageBytes ?? 16 * 1024 * 1024,
    verifyClient: ({ req }, accept) => {
      const refused = upgradeRefusal?.(req);
      if (refused === undefined) accept(true);
      else accept(false, 403, refused);
    },
  });
  // The connection's id, in the 101 answer: each operation's id is this one and its number on the connection.
  wsServer.on('headers', (headers, request) => headers.push(`x-request-id: ${identifyRequest(request, undefined)}`));
  const shared = new SharedResults(sharedResultsBytes);
  const validDocuments = new ValidDocuments();
  const operations = new DirectOperations(yoga, maskError);
  const payloads = new SerializedPayloads((result) => shared.isShared(result));
  const running = new WeakMap<object, RunningOperations>();
  const runningOn = (connection: object) => {
    let operations = running.get(connection);
    if (!operations) running.set(connection, (operations = new RunningOperations()));
    return operations;
  };
  const rooms = new WeakMap<WebSocket, SendRoom>();
  wsServer.on('connection', (socket) => {
    const room = new SendRoom(socket, slowConsumerBytes, slowConsumerTimeoutMs);
    rooms.set(socket, room);
    prepareSocket(socket, payloads, room);
    adaptSocketEvents(socket);
    if (options.requestBytes) countMessageBytesInFlight(socket, options.requestBytes);
  });
  const disposable = useServer(
    {
      connectionInitWaitTimeout: connectionInitWaitTimeoutMs,
      // A refused credential closes the socket with 4403 Forbidden: graphql-ws does so when this answers false.
      onConnect: async (ctx) => {
        const authorization = ctx.connectionParams?.authorization ?? ctx.extra.request.headers.authorization;
        const authentication = await authenticator.authenticate(authorization);
        if ('refusal' in authentication) {
          opLog.refused(authentication.refusal, { requestId: requestIdOf(ctx.extra.request) });
          return false;
        }
        let consumerKey: Buffer;
        try {
          consumerKey = consumerKeyOf(ctx.connectionParams?.consumerToken, 'connectionParams.consumerToken') ?? connectionConsumerKey();
        } catch (error) {
          ctx.extra.socket.close(4400, (error as Error).message);
          return false;
        }
        (ctx.extra as ConnectionExtra).authentication = authentication;
        (ctx.extra as ConnectionExtra).consumerKey = consumerKey;
        closeWhenExpired(ctx.extra.socket, authentication);
        return true;
      },
      execute: (args) => inFlight.track(() => (args.rootValue as EnvelopedRoot).execute(args), (error) => failedResult(args, error)),
      subscribe: (args) => {
        const root = args.rootValue as EnvelopedRoot;
        return subscribeWithSharedResults({ ...args, rootValue: undefined }, shared, root.documentKey, opLog.maskFor(args, maskError), root.room).catch((error: unknown) => failedResult(args, error));
      },
      onNext: (ctx, _id, _params, args, result) => {
        try {
          return payloads.payloadFor(ctx.extra.socket, result as ExecutionResult, args);
        } catch (error) {
          // A result that cannot be serialised (a value nested too deep for JSON.stringify), answered masked. What
          // is thrown here ends a subscription alone; a query's or mutation's one result is sent outside graphql-ws's
          // catch, where a throw would close the socket, so it is answered with the error instead.
          const masked = opLog.maskFor(args, maskError)(asGraphQLError(error));
          if (getOperationAST(args.document, args.operationName)?.operation === 'subscription') throw masked;
          return { errors: [masked.toJSON()] };
        }
      },
      onComplete: (ctx, id) => opLog.complete(ctx.extra, id),
      // What onSubscribe refused (validation, operation limits): logged here with the operation's id, and sent as over HTTP.
      onError: (ctx, id, payload, errors) => {
        opLog.refusedBefore(ctx.extra, id, errors as readonly GraphQLError[], payload.operationName);
        return errors.map(shownError);
      },
      // Counted until execute takes over (it counts itself); graphql-ws calls it within the same turn of the event loop.
      onSubscribe: (ctx, id, sent) => inFlight.track(() => subscribing(ctx, id, sent)),
    },
    wsServer,
    keepAliveMs,
  );

  /**
   * An operation that failed outside its resolvers (a plugin's hook that threw) answers its error,
   * masked, as its result, as it does over HTTP; graphql-ws would close the socket with 4500, and
   * every other operation on it with it.
   */
  function failedResult(args: ExecutionArgs, error: unknown): ExecutionResult {
    return { errors: [opLog.maskFor(args, maskError)(asGraphQLError(error))] };
  }

  type WsContext = Context<Record<string, unknown> | undefined, Extra>;

  /**
   * What onSubscribe answers: the operation's arguments, or the errors it is refused with; a failure
   * (its context, the persisted-document lookup) is one of them, masked.
   */
  async function subscribing(ctx: WsContext, id: string, sent: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    let answer: ExecutionArgs | readonly GraphQLError[];
    try {
      answer = await operationArgs(ctx, id, sent);
    } catch (error) {
      answer = [opLog.maskForOperation(ctx.extra, id, maskError)(asGraphQLError(error))];
    }
    // graphql-ws tells onError nothing of a refusal whose operation its client completed meanwhile.
    if (Array.isArray(answer) && !(id in ctx.subscriptions)) opLog.forget(ctx.extra, id);
    return answer;
  }

  async function operationArgs(ctx: WsContext, id: string, sent: SubscribePayload): Promise<ExecutionArgs | readonly GraphQLError[]> {
    const requestId = opLog.begin(ctx.extra, ctx.extra.request, id);
    // graphql-ws has already counted the operation being subscribed.
    if (!runningOn(ctx).admit(id, ctx.subscriptions, maxSubscriptionsPerConnection)) {
      return [
        new GraphQLError(`a connection may run at most ${maxSubscriptionsPerConnection} operations at once (GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION)`, {
          extensions: { code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_SUBSCRIPTIONS_PER_CONNECTION', maximum: maxSubscriptionsPerConnection },
        }),
      ];
    }
    let params = sent;
    if (resolveParams) {
      // A GraphQLError it throws refuses the operation as it is; anything else, masked.
      const resolved = await resolveParams(sent, ctx.extra as ConnectionExtra);
      params = { ...resolved, query: resolved.query ?? '' };
    }
    // What the context is made from, and no more: it lives as long as the subscription does, and a copy of
    // graphql-ws's whole connection state (its map of operations, say) cost each subscription a kilobyte.
    const initialContext = { req: ctx.extra.request, socket: ctx.extra.socket, extra: ctx.extra, params, requestId };
    const enveloped = yoga.getEnveloped(initialContext);
    const { schema, parse, validate } = enveloped;
    let document;
    try {
      document = parse(params.query);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      markAsParseFailure(error);
      return [error];
    }
    const errors = validDocuments.validate(validate, schema, document);
    if (errors.length > 0) return errors;
    if (!getOperationAST(document, params.operationName)) return [operationNotFound()];
    opLog.started(ctx.extra, id, requestId, document, params.operationName);
    return {
      schema,
      document,
      operationName: params.operationName,
      variableValues: params.variables,
      contextValue: await operations.context(initialContext, enveloped as Enveloped, opLog.maskForOperation(ctx.extra, id, maskError)),
      rootValue: new EnvelopedRoot(operations.executorFor(enveloped as Enveloped) as EnvelopedRoot['execute'], rooms.get(ctx.extra.socket)!, params, ctx.extra as ConnectionExtra),
    };
  }
  return {
    /**
     * Closes every connection with 1001 (going away), which ends its subscriptions; a client that
     * does not answer the close within the grace is cut.
     */
    async stop(): Promise<void> {
      const open = [...wsServer.clients];
      for (const client of open) client.close(GOING_AWAY, 'the gateway is stopping');
      await Promise.race([Promise.all(open.map(closed)), sleep(closeGraceMs, undefined, { ref: false })]);
      for (const client of wsServer.clients) client.terminate();
      await disposable.dispose();
    },
  };
}
