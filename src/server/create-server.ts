import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { GraphQLError, GraphQLSchema } from 'graphql';
import { createYoga } from 'graphql-yoga';
import type { AccessConfig } from '../access-config.js';
import type { Authenticator } from '../access/authenticator.js';
import { fullLogger, type Logger } from '../log.js';
import type { GatewayServices } from '../resolvers/context.js';
import { renderBundledGraphiQL } from './graphiql-page.js';
import { createContext } from './request-context.js';
import { useDashboard } from './dashboard/use-dashboard.js';
import { useExactEndpoint } from './use-exact-endpoint.js';
import { crossSitePolicy, loopbackHostCheck, type HeaderReader } from './cross-site-policy.js';
import { BytesInFlight } from './bytes-in-flight.js';
import { continueOrRefuse, graphqlPostListener } from './graphql-post.js';
import { InFlight } from './in-flight.js';
import { errorMasking } from './use-error-masking.js';
import { refusalFields, useOperationLog, useRefusalLog } from './use-operation-log.js';
import { identifyRequest } from './request-id.js';
import { useGetParams } from './use-get-params.js';
import { useCsrfPrevention } from './use-csrf-prevention.js';
import { useCompiledExecute } from './use-compiled-execute.js';
import { useGraphQLWs, type GraphQLWsOptions } from './use-graphql-ws.js';
import { useHiddenSuggestions } from './use-hidden-suggestions.js';
import { useInputErrorCodes, withInputErrorCode } from './use-input-error-codes.js';
import { useIntrospectionAccess } from './use-introspection-access.js';
import { useMutationAccess } from './use-mutation-access.js';
import type { Gossip } from '../cluster/gossip/gossip.js';
import { useMetrics } from './use-metrics.js';
import { useOperationMetrics } from './metrics/use-operation-metrics.js';
import { executeHooksTogether } from './execute-hooks-together.js';
import { useReadiness, YOGA_HEALTH_CHECK_OFF } from './use-readiness.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { useAppendBudget } from './use-append-budget.js';
import { useBodyLimit } from './use-body-limit.js';
import { useOperationBudgets } from './use-operation-budgets.js';
import { useOperationSpans } from './use-operation-spans.js';
import { usePageItemsBudget } from './use-page-items-budget.js';
import { usePersistedDocuments } from './use-persisted-documents.js';
import { useSafeSerialization } from './use-safe-serialization.js';
import type { PersistedDocumentsConfig } from '../persisted-documents-config.js';

export interface ServerOptions {
  schema: GraphQLSchema;
  services: GatewayServices;
  /** Who may do what: the authenticator of every request, and what is open to whom. */
  access: { authenticator: Authenticator; config: AccessConfig };
  /** The gateway's gossip, once started (it starts after the server listens); for /metrics. */
  gossip?: () => Gossip | undefined;
  log: Logger;
  ws?: GraphQLWsOptions;
  /** Origins of other sites whose pages may call the gateway (CORS, WebSocket); `GATER_CORS_ORIGINS`. Default none. */
  corsOrigins?: readonly string[];
  /** The address the server listens on: on a loopback one, requests must name a loopback host. Default: no check. */
  bindHost?: string;
  /** APQ and trusted documents (`GATER_APQ`, `GATER_TRUSTED_DOCUMENTS_FILE`). Default: both off. */
  persistedDocuments?: PersistedDocumentsConfig;
  /** The gateway's metrics, whose observers its stores and subscriptions were given; served at /metrics. Default: new ones. */
  metrics?: GatewayMetrics;
}

export interface GatewayServer {
  server: Server;
  /**
   * The first step of a stop: accepts no more connections, answers /ready with 503, and waits
   * up to `timeoutMs` for the requests under way (HTTP, and graphql-ws queries and mutations) to
   * be answered; true when they all were. Open connections stay open, SSE streams and
   * subscriptions too.
   */
  drain(timeoutMs: number): Promise<boolean>;
  /** Closes the WebSocket side with 1001; the HTTP server is closed by its owner. */
  stopWebSockets(): Promise<void>;
}

const GRAPHQL_ENDPOINT = '/graphql';

/**
 * One HTTP server: graphql-yoga at /graphql (queries, mutations, SSE
 * subscriptions, GraphiQL in a browser), /health, /ready and /metrics, and graphql-ws
 * on the same path for WebSocket clients.
 */
export function createGatewayServer({ schema, services, access, gossip = () => undefined, log: logger, ws, corsOrigins, bindHost, persistedDocuments = { apq: null, trusted: null }, metrics = new GatewayMetrics() }: ServerOptions): GatewayServer {
  const log = fullLogger(logger);
  const masking = errorMasking(log);
  const inFlight = new InFlight();
  const requestBytes = new BytesInFlight(services.limits.maxRequestBytesInFlight);
  let draining = false;
  const crossSite = crossSitePolicy(corsOrigins, bindHost === undefined ? undefined : loopbackHostCheck(bindHost));
  const persisted = usePersistedDocuments(persistedDocuments, access.authenticator);
  const yoga = createYoga({
    schema,
    graphqlEndpoint: GRAPHQL_ENDPOINT,
    healthCheckEndpoint: YOGA_HEALTH_CHECK_OFF,
    landingPage: false,
    graphiql: access.config.graphiql && {
      title: 'Gater',
      defaultQuery: '{ stores { id eventCount headPosition } }',
      subscriptionsProtocol: 'WS',
    },
    // GraphiQL bundled into the page, so it works on machines with no route to a CDN.
    renderGraphiQL: renderBundledGraphiQL,
    context: (initial) => createContext(services, access.authenticator, initial),
    maskedErrors: masking,
    logging: false,
    cors: crossSite.cors,
    maxRequestBodySize: services.limits.maxBodyBytes,
    // How codegen's clients name a trusted document.
    extraParamNames: ['documentId'],
    // Persisted documents first: they put in the document that the plugins after them check.
    plugins: executeHooksTogether([
      ...persisted.plugins,
      useOperationLog(log, masking),
      useCsrfPrevention(crossSite),
      useGetParams(),
      useCompiledExecute(),
      // Right after the executor it wraps: a later execute wrapper would replace its own.
      useOperationSpans(),
      useReadiness({ cluster: services.cluster, storeIds: services.stores.all().map((store) => store.id), stopping: () => draining }),
      useMetrics(metrics, { stores: services.stores.all(), cluster: services.cluster, live: services.live, persistent: services.persistent, gossip, inFlight, requestBytes }),
      useOperationMetrics(metrics.operations),
      useInputErrorCodes(),
      useIntrospectionAccess(access.config.introspection),
      useMutationAccess(),
      access.config.introspection === 'everyone' ? {} : useHiddenSuggestions(),
      useOperationBudgets(services.limits),
      usePageItemsBudget(services.limits),
      useAppendBudget(services.limits),
      useBodyLimit(services.limits.maxBodyBytes),
      useDashboard(crossSite, log),
      useExactEndpoint(GRAPHQL_ENDPOINT),
      useRefusalLog(log, masking),
      useSafeSerialization(log, masking),
    ]),
  });
  const maskError = (error: GraphQLError) => withInputErrorCode(masking.maskError(error, 'Unexpected error.') as GraphQLError);
  // The fast POST path, yoga and the WebSocket upgrade refuse cross-site requests by the same policy.
  const { maxBodyBytes, maxWsMessageBytes } = services.limits;
  const refusedWhole = (req: IncomingMessage, errors: readonly GraphQLError[], operationName?: string) =>
    masking.noteRefusals(errors, () => log.child(refusalFields(req, operationName)));
  const server = createServer(
    graphqlPostListener(yoga as never, {
      maskError,
      log,
      refused: (req) => crossSite.refusal(req.method ?? 'GET', nodeHeaders(req)),
      maxBodyBytes,
      mayAnswer: persisted.fastPathMayAnswer,
      refusedWhole,
      answerHeaders: (req) => crossSite.answerHeaders(nodeHeaders(req)),
      requestBytes,
    }),
  );
  server.on('checkContinue', continueOrRefuse(server, GRAPHQL_ENDPOINT, maxBodyBytes, requestBytes));
  // Before the listener above, so that a response of a stopping server is the last on its connection.
  server.prependListener('request', (req, res) => {
    identifyRequest(req, res);
    if (draining) res.setHeader('connection', 'close');
    // An SSE stream lasts as long as its subscription: the stop ends it, it does not wait for it.
    if (!req.headers.accept?.includes('text/event-stream')) res.once('close', inFlight.begin());
  });
  const webSockets = useGraphQLWs(server, yoga as never, maskError, access.authenticator, {
    ...ws,
    inFlight,
    maxMessageBytes: maxWsMessageBytes,
    requestBytes,
    operationLog: { log, masking },
    upgradeRefusal: (req) => crossSite.originRefusal(nodeHeaders(req)),
    resolveParams: persisted.plugins.length === 0 ? undefined : (params, extra) => persisted.resolve(params, { extra }, yoga.fetchAPI),
  });
  return {
    server,
    drain: (timeoutMs) => {
      draining = true;
      server.close();
      return inFlight.settled(timeoutMs, () => server.closeIdleConnections());
    },
    stopWebSockets: () => webSockets.stop(),
  };
}

function nodeHeaders(req: IncomingMessage): HeaderReader {
  return (name) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
}
