import { afterAll, beforeAll } from 'vitest';
import { startTestGateway, type GraphQLResponse, type TestGateway, type TestGatewayOptions } from './test-gateway.js';

/**
 * Registers the hooks of a test file that needs one gateway: started over a
 * database of its own before the file's tests, stopped and the database
 * dropped after them. Hooks the file registers later run after the start
 * and before the stop.
 *
 * The answer stands for that gateway from the file's first hook on. Options
 * may be a function, to take something known only once earlier hooks ran
 * (another fixture's database, say).
 */
export function useGateway(options: TestGatewayOptions | (() => TestGatewayOptions) = {}): TestGateway {
  let started: TestGateway | undefined;
  const current = (): TestGateway => {
    if (!started) throw new Error('the gateway is started in beforeAll: use it inside a test or a hook');
    return started;
  };
  beforeAll(async () => {
    started = await startTestGateway(typeof options === 'function' ? options() : options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get url() {
      return current().url;
    },
    get origin() {
      return current().origin;
    },
    get gateway() {
      return current().gateway;
    },
    get databaseUrl() {
      return current().databaseUrl;
    },
    gql<T>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>> {
      return current().gql<T>(query, variables);
    },
    stop: (stopOptions) => current().stop(stopOptions),
    dropDatabase: () => current().dropDatabase(),
  };
}
