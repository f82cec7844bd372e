import { buildApp } from './app';
import { exitsWithParent, serverConfig } from './config/environment';
import { ConfigError, type Config } from './config/load-config';
import { SecretStore } from './deploy/secret-store';
import { buildDeps } from './deps';
import { createLogger } from './logger';

/** Start: validate config (every problem at once), build, listen, close gracefully. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = serverConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.server.logLevel);
  const deps = buildDeps(config, logger);
  if (deps.webhookSecrets.length === 0) {
    // No secret configured: use the one post-deploy stored when it created the endpoint.
    const stored = await new SecretStore(deps.sdk.ctAPI, config.stripe.secretKey).read();
    if (!stored) {
      process.stderr.write(
        'Invalid configuration (1 problem):\n  - STRIPE_WEBHOOK_SIGNING_SECRET: is not set and post-deploy stored none; run post-deploy or set it\n',
      );
      process.exit(1);
    }
    deps.webhookSecrets.push(stored.secret);
    logger.info({ endpointId: stored.endpointId }, 'webhook signing secret read from post-deploy storage');
  }
  const app = await buildApp(deps);
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
  if (exitsWithParent()) process.stdin.on('end', () => shutdown('parent-exit')).resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`processor failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
