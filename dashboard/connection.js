import { createClient } from 'graphql-ws/client';

/**
 * One graphql-ws connection per gateway and key, shared by the panels of a
 * page. It keeps reconnecting while the gateway is away, and tells its
 * panels what state it is in:
 * - `connecting`: not connected yet;
 * - `live`: connected;
 * - `disconnected`: the gateway went away; trying again;
 * - `needs-key`: the gateway refused the connection (4403) and no key was given;
 * - `key-refused`: it refused the key given.
 */
class GaterConnection extends EventTarget {
  constructor(url, apiKey) {
    super();
    this.url = url;
    this.apiKey = apiKey;
    this.state = 'connecting';
    this.refused = false;
    this.client = createClient({
      url,
      lazy: false,
      connectionParams: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      // A gateway that is away comes back: keep trying, at most every 2 s, except when it refused the credential.
      retryAttempts: Infinity,
      shouldRetry: (event) => !(event && event.code === 4403),
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(2000, 250 * 2 ** retries))),
      // Finds a connection that died without a close (a cut network) within seconds.
      keepAlive: 5000,
      onNonLazyError: () => {},
      on: {
        connected: () => this.setState('live'),
        closed: (event) => {
          if (event && event.code === 4403) {
            this.refused = true;
            this.setState(apiKey ? 'key-refused' : 'needs-key');
          } else if (!this.refused) {
            this.setState('disconnected');
          }
        },
      },
    });
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.dispatchEvent(new Event('state'));
  }

  /** Runs a query over the socket once: resolves with its result ({ data, errors }), rejects when the socket fails. */
  query(query, variables = {}) {
    return new Promise((resolve, reject) => {
      let result;
      this.client.subscribe(
        { query, variables },
        {
          next: (value) => (result = value),
          error: reject,
          complete: () => resolve(result ?? {}),
        },
      );
    });
  }
}

const connections = new Map();

/**
 * The shared connection to a gateway's graphql-ws endpoint with a key (or
 * none), for one more user: give it back with `release` when done, and the
 * last user's release closes it (so a page whose key changes keeps no socket
 * open with the old one).
 */
export function connectionTo(url, apiKey) {
  const key = `${url}\n${apiKey ?? ''}`;
  let connection = connections.get(key);
  if (!connection) {
    connection = new GaterConnection(url, apiKey);
    connection.key = key;
    connection.users = 0;
    connections.set(key, connection);
  }
  connection.users++;
  return connection;
}

export function release(connection) {
  if (--connection.users > 0) return;
  connections.delete(connection.key);
  connection.client.dispose();
}

/** The graphql-ws endpoint of the gateway that served this module: where an embedded panel connects unless told otherwise. */
export function defaultGatewayUrl() {
  const url = new URL('/graphql', import.meta.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

/** An http(s) gateway address, as people write it, as its graphql-ws URL; a ws(s) URL as it is. */
export function webSocketUrl(address) {
  if (!address) return defaultGatewayUrl();
  const url = new URL(address, import.meta.url);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  return url.href;
}
