import type { IncomingMessage } from 'node:http';
import type { Authentication, Authenticator } from '../access/authenticator.js';
import type { ReadConsistency } from '../cluster/cluster.js';
import type { GatewayContext, GatewayServices } from '../resolvers/context.js';
import { CONSUMER_TOKEN_HEADER, consumerKeyOf } from '../resolvers/consumer-key.js';
import { createLoaders, type Loaders } from '../resolvers/loaders.js';
import { RequestBudget } from '../resolvers/request-budget.js';
import { StoreDoor } from '../resolvers/store-door.js';

/** What a graphql-ws connection learnt of its caller when it was opened. */
export interface ConnectionExtra {
  authentication?: Authentication;
  /** The key that acks sent on this connection carry, made when it opened (see consumer-key.ts). */
  consumerKey?: Buffer;
}

/**
 * What yoga hands the context factory: the Fetch request over HTTP (or the
 * node request on the fast POST path), the upgrade request and the
 * connection's extra over graphql-ws.
 */
export interface RequestSource {
  request?: Request;
  req?: IncomingMessage;
  extra?: ConnectionExtra;
}

const CONSISTENCY_HEADER = 'x-gater-consistency';

/** A request's context: the gateway's services, seen as its caller and its headers ask. */
export function createContext(
  services: GatewayServices,
  authenticator: Authenticator,
  source: RequestSource = {},
): GatewayContext | Promise<GatewayContext> {
  const known = source.extra?.authentication;
  if (known) return contextFor(services, source, known);
  const authentication = authenticator.authenticate(authorizationOf(source));
  // No credential to check is the laptop's every request: answered without a turn of the event loop.
  if (!(authentication instanceof Promise)) return contextFor(services, source, authentication);
  return authentication.then((checked) => contextFor(services, source, checked));
}

/** The Authorization header of an HTTP request, from whichever request object the path has. */
export function authorizationOf(source: RequestSource): string | null | undefined {
  return source.request?.headers.get('authorization') ?? source.req?.headers.authorization;
}

/** Where a context keeps what its lazy parts need and made: copied with it by envelop's Object.assign, as a symbol key is. */
const LAZY = Symbol('lazy parts');

/** What a context's lazy parts need, and what they made once asked. */
interface LazyParts {
  services: GatewayServices;
  source: RequestSource;
  authentication: Authentication;
  loaders: Loaders | undefined;
  requestBudget: RequestBudget | undefined;
}

type WithLazyParts = GatewayContext & { [LAZY]: LazyParts };

/**
 * Built for every request, so without object rest and spread (each a copy by
 * a runtime call) and without a closure per lazy part: those are methods
 * shared by every context, over its own small state object (a subscription's
 * context lives as long as it does, and a gateway holds tens of thousands).
 */
function contextFor(services: GatewayServices, source: RequestSource, authentication: Authentication): GatewayContext {
  const consistency = readConsistency(source);
  const context: WithLazyParts = {
    cluster: services.cluster,
    live: services.live,
    persistent: services.persistent,
    limits: services.limits,
    subscriptionSlots: services.subscriptionSlots,
    door: new StoreDoor(consistency === 'leader' ? services.stores.readingFromLeader() : services.stores, authentication),
    consistency,
    // Methods, not getters: envelop copies the context with Object.assign, which would run every getter for every request.
    requestBudget,
    client,
    // Made on first use: most contexts never batch a read.
    loaders,
    consumerKey,
    [LAZY]: { services, source, authentication, loaders: undefined, requestBudget: undefined },
  };
  return context;
}

function requestBudget(this: WithLazyParts): RequestBudget {
  const lazy = this[LAZY];
  return (lazy.requestBudget ??= new RequestBudget(lazy.services.limits));
}

function loaders(this: WithLazyParts): Loaders {
  return (this[LAZY].loaders ??= createLoaders());
}

function client(this: WithLazyParts): string {
  return clientOf(this[LAZY].authentication, this[LAZY].source);
}

function consumerKey(this: WithLazyParts): Buffer | undefined {
  const { source } = this[LAZY];
  return source.extra?.consumerKey ?? consumerKeyOf(headerOf(source, CONSUMER_TOKEN_HEADER), CONSUMER_TOKEN_HEADER);
}

/** A credential that names someone (an API key, a token with a subject) is the client; else its address is. */
function clientOf(authentication: Authentication, { req }: RequestSource): string {
  const name = 'caller' in authentication ? authentication.caller.name : 'anonymous';
  if (name !== 'anonymous' && name !== 'jwt') return `credential ${name}`;
  return `address ${req?.socket.remoteAddress ?? 'unknown'}`;
}

/** Only `leader` changes anything; any other value, like none, leaves reads to any healthy node. */
function readConsistency(source: RequestSource): ReadConsistency {
  return headerOf(source, CONSISTENCY_HEADER)?.trim().toLowerCase() === 'leader' ? 'leader' : 'any';
}

function headerOf({ request, req }: RequestSource, name: string): string | undefined {
  const header = request?.headers.get(name) ?? req?.headers[name];
  return (Array.isArray(header) ? header[0] : header) ?? undefined;
}
