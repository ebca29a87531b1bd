import WebSocket from 'ws';
import type { GraphQLErrorBody, GraphQLResponse } from './test-gateway.js';

export interface RawWs {
  socket: WebSocket;
  /** Close events seen, with their codes. */
  readonly closes: { code: number; reason: string }[];
  /**
   * Sends a Subscribe message whose payload is given as JSON text (to send
   * what a client library could not serialise) and answers the operation's
   * last result, or the errors it failed with.
   */
  ask(payloadJson: string): Promise<GraphQLResponse<Record<string, unknown>>>;
  close(): void;
}

/** The graphql-transport-ws protocol spoken by hand over one socket, past its ConnectionAck. */
export async function rawWs(url: string): Promise<RawWs> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const closes: { code: number; reason: string }[] = [];
  const pending = new Map<string, { result: GraphQLResponse<Record<string, unknown>>; done: (result: GraphQLResponse<Record<string, unknown>>) => void }>();
  socket.on('close', (code, reason) => {
    closes.push({ code, reason: reason.toString() });
    for (const [id, operation] of pending) {
      pending.delete(id);
      operation.done({ errors: [{ message: `connection closed: ${code}` }] });
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.once('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { type: string; id?: string; payload?: unknown };
      if (message.type === 'connection_ack') resolve();
      else if (message.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
      const operation = message.id === undefined ? undefined : pending.get(message.id);
      if (!operation) return;
      if (message.type === 'next') operation.result = message.payload as GraphQLResponse<Record<string, unknown>>;
      else if (message.type === 'error') operation.result = { errors: message.payload as GraphQLErrorBody[] };
      if (message.type === 'error' || message.type === 'complete') {
        pending.delete(message.id!);
        operation.done(operation.result);
      }
    });
  });
  let next = 0;
  return {
    socket,
    closes,
    ask(payloadJson) {
      const id = String(++next);
      return new Promise((resolve) => {
        pending.set(id, { result: {}, done: resolve });
        socket.send(`{"id":"${id}","type":"subscribe","payload":${payloadJson}}`);
      });
    },
    close: () => socket.close(),
  };
}
