import { collectDefaultMetrics, Registry } from 'prom-client';

let shared: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, heap, event-loop lag, GC, file
 * descriptors, handles, Node's version), collected once per process. They
 * describe the process, not a gateway; and each collection starts an
 * event-loop monitor and a GC observer that nothing can stop, so every
 * gateway of a process (tests start many) shares one set rather than leaking
 * its own. Kept off prom-client's global registry.
 */
export function processMetrics(): Registry {
  if (!shared) {
    shared = new Registry();
    collectDefaultMetrics({ register: shared });
  }
  return shared;
}
