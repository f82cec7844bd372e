import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config/load-config';
import { buildDeps } from './deps';
import { createLogger } from './logger';

/** Start: validate config (every problem at once), build, listen, close gracefully. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.server.logLevel);
  const app = await buildApp(buildDeps(config, logger));
  const address = await app.listen({ host: config.server.host, port: config.server.port });
  if (config.allowedOrigins.length === 0)
    logger.warn('ALLOWED_ORIGINS is empty: browsers on other origins cannot call the processor');
  process.stdout.write(`PROCESSOR_READY ${JSON.stringify({ url: address })}\n`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  if (process.env.PROCESSOR_EXIT_WITH_PARENT === 'true')
    process.stdin.on('end', () => shutdown('parent-exit')).resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`processor failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
