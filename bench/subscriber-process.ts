import { now, percentile, SubscriberFleet } from './ws-subscribers.js';

/**
 * The subscriber fleet's own process (see fleet-process.ts): it holds the
 * sockets and times each delivery, so that pauses of the process that appends
 * (and its garbage) do not delay the clock that stamps arrivals.
 */
export type FleetRequest =
  | { kind: 'open'; wsUrl: string; sockets: number }
  | { kind: 'subscribe'; streamIds: string[] }
  | { kind: 'clock' }
  | { kind: 'reset' }
  | { kind: 'delivered' }
  | { kind: 'stats' }
  | { kind: 'close' };

export interface FleetStats {
  delivered: number;
  p50Ms: number;
  p99Ms: number;
}

let fleet: SubscriberFleet | undefined;

async function answer(request: FleetRequest): Promise<unknown> {
  switch (request.kind) {
    case 'open':
      fleet = new SubscriberFleet(request.wsUrl, request.sockets);
      await fleet.connected;
      return null;
    case 'subscribe':
      fleet!.subscribe(request.streamIds);
      return null;
    case 'clock':
      return now();
    case 'reset':
      fleet!.reset();
      return null;
    case 'delivered':
      return fleet!.delivered;
    case 'stats':
      return { delivered: fleet!.delivered, p50Ms: percentile(fleet!.latencies, 50), p99Ms: percentile(fleet!.latencies, 99) } satisfies FleetStats;
    case 'close':
      await fleet?.close();
      return null;
  }
}

process.on('message', (message: { id: number; request: FleetRequest }) => {
  answer(message.request).then(
    (result) => process.send!({ id: message.id, result }),
    (error: unknown) => process.send!({ id: message.id, error: String(error) }),
  );
});
