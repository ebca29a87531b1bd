import http from 'node:http';
import type { Socket } from 'node:net';
import type { GraphQLResponse } from './test-gateway.js';

export interface HttpAnswer<T = Record<string, unknown>> {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent, and parsed. */
  text: string;
  body: GraphQLResponse<T>;
  /** The socket it came over: the same object for every request of one kept-alive connection. */
  socket: Socket;
}

export interface PostOptions {
  headers?: Record<string, string>;
  /** Send the body chunked, with no Content-Length. */
  chunked?: boolean;
}

export interface HttpConnection {
  /** POSTs a body to the gateway's /graphql over the connection. */
  post<T = Record<string, unknown>>(body: string | Buffer, options?: PostOptions): Promise<HttpAnswer<T>>;
  /** POSTs one operation as JSON. */
  gql<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>, options?: PostOptions): Promise<HttpAnswer<T>>;
  close(): void;
}

/**
 * One kept-alive HTTP connection to a gateway: requests go one at a time over
 * the same socket as long as the server keeps it open, so that a test can see
 * that a refusal left the connection serving.
 */
export function httpConnection(url: string): HttpConnection {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = <T>(body: string | Buffer, { headers = {}, chunked = false }: PostOptions = {}) =>
    new Promise<HttpAnswer<T>>((resolve, reject) => {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      const request = http.request(url, {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          ...(chunked ? {} : { 'content-length': String(payload.length) }),
          ...headers,
        },
      });
      let socket: Socket | undefined;
      request.on('socket', (assigned) => (socket = assigned));
      request.on('error', reject);
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode!, headers: response.headers, text, body: JSON.parse(text) as GraphQLResponse<T>, socket: socket! });
          } catch {
            reject(new Error(`HTTP ${response.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`));
          }
        });
      });
      request.end(payload);
    });
  return {
    post,
    gql: (query, variables, options) => post(JSON.stringify({ query, variables }), options),
    close: () => agent.destroy(),
  };
}

/**
 * How a JSON post is sent to reach each of the gateway's HTTP paths: the fast POST path takes
 * bodies of a stated length; a body sent in chunks is yoga's to answer. A feature of yoga's
 * request handling must answer alike on both.
 */
export const POST_PATHS: Record<string, PostOptions> = {
  'the fast POST path': {},
  'yoga (a body sent in chunks)': { chunked: true },
};
