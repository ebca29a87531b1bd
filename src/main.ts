import { ConfigError, loadConfig } from './config.js';
import { EmbeddedNodeError } from './cluster/embedded-node.js';
import { startGateway } from './gateway.js';
import { consoleLogger } from './log.js';
import { classifyDatabaseError } from './cluster/database-errors.js';

const log = consoleLogger();

async function main(): Promise<void> {
  const gateway = await startGateway(loadConfig(), { log });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping (no new connections; requests under way are answered first)`);
    await gateway.stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedNodeError) {
    console.error(`gater: ${error.message}`);
  } else if (classifyDatabaseError(error) === 'unavailable') {
    console.error(`gater: cannot reach PostgreSQL (${(error as Error).message}); check GATER_NODES or DATABASE_URL`);
  } else {
    log.error('start-up failed', error);
  }
  process.exit(1);
});
