import { createCommercetoolsSandbox } from './commercetools/server';
import { createStripeEmulator } from './stripe/server';
import { readSandboxEnv } from './env';

/**
 * Runs the sandbox's emulated upstreams in one process. Prints one `SANDBOX_READY {json}` line
 * with the base URLs once every server listens (tests and `npm start` wait for it).
 */
async function main(): Promise<void> {
  const env = readSandboxEnv(process.env);
  const ct = await createCommercetoolsSandbox({
    projectKey: env.projectKey,
    logger: env.verbose,
    indexes: env.ctIndexes,
    sessionMetadata: { processorUrl: env.processorUrl },
  });
  const ctAddress = await ct.app.listen({ host: env.host, port: env.commercetoolsPort });
  const stripe = await createStripeEmulator({
    logger: env.verbose,
    validateShapes: env.validateStripeShapes,
    ...(env.asyncSettleDelayMs !== undefined ? { asyncSettleDelayMs: env.asyncSettleDelayMs } : {}),
  });
  const stripeAddress = await stripe.app.listen({ host: env.host, port: env.stripePort });

  // For `npm start`: the processor's webhook endpoint, as post-deploy would register it.
  let stripeWebhookSecret: string | undefined;
  if (env.registerWebhook) {
    const res = await stripe.app.inject({
      method: 'POST',
      url: '/v1/webhook_endpoints',
      headers: {
        authorization: `Bearer ${stripe.secretKey}`,
        'content-type': 'application/x-www-form-urlencoded',
        'x-sandbox-internal': '1',
      },
      payload: new URLSearchParams({
        url: `${env.processorUrl}/stripe/webhooks`,
        'enabled_events[0]': '*',
        description: 'sandbox processor',
      }).toString(),
    });
    stripeWebhookSecret = (res.json() as { secret: string }).secret;
  }

  const urls = {
    commercetools: ctAddress,
    sessionApi: `${ctAddress}/session-api`,
    projectKey: env.projectKey,
    stripe: stripeAddress,
    stripePublishableKey: stripe.publishableKey,
    ...(stripeWebhookSecret ? { stripeWebhookSecret } : {}),
  };
  process.stdout.write(`SANDBOX_READY ${JSON.stringify(urls)}\n`);

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await Promise.all([ct.close(), stripe.close()]);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  // A supervisor that dies without signalling us closes our stdin: follow it.
  if (env.exitWithParent) process.stdin.on('end', () => void shutdown()).resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
