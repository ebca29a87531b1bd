import { ConfigError, loadConfig } from './config.js';
import { EmbeddedNodeError } from './cluster/embedded-node.js';
import { startGateway } from './gateway.js';
import { pinoLogger, type FullLogger } from './log.js';
import { classifyDatabaseError } from './cluster/database-errors.js';

// Set once the configuration has named its level; a failure before that is a configuration line.
let log: FullLogger | undefined;

async function main(): Promise<void> {
  const config = loadConfig();
  const started = pinoLogger({ level: config.logLevel });
  log = started;
  const gateway = await startGateway(config, { log: started });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    started.info(`${signal}: stopping (no new connections; requests under way are answered first)`);
    await gateway.stop();
    started.info('stopped');
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
    (log ?? pinoLogger()).error('start-up failed', error);
  }
  process.exit(1);
});
