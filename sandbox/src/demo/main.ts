import path from 'node:path';
import { createDemo } from './server';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const port = Number(process.env.DEMO_PORT ?? 3000);
  const app = createDemo({
    processorUrl: required('DEMO_PROCESSOR_URL'),
    commercetoolsUrl: required('DEMO_CT_URL'),
    stripeUrl: required('DEMO_STRIPE_URL'),
    projectKey: process.env.DEMO_PROJECT_KEY ?? 'sandbox',
    enablerDist: process.env.DEMO_ENABLER_DIST ?? path.resolve(__dirname, '../../../enabler/public'),
  });
  const address = await app.listen({ host: process.env.DEMO_HOST ?? '127.0.0.1', port });
  const url = address.replace('127.0.0.1', 'localhost');
  process.stdout.write(`DEMO_READY ${JSON.stringify({ url })}\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  if (process.env.SANDBOX_EXIT_WITH_PARENT === 'true') process.stdin.on('end', stop).resume();
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
