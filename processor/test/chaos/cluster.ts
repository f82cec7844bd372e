import { execFile } from 'node:child_process';
import Stripe from 'stripe';
import { startJwtMock, startSandbox, type SandboxUrls, type SpawnedService } from 'sandbox/src/testing/spawn';
import { validEnv } from '../../testing/env';
import { must, send } from './http';
import { LogScan } from './logscan';
import { startWebhookProxy, type WebhookProxy } from './proxy';
import { flavorOf, PROCESSOR_DIR, Replica, Replicas } from './replicas';

/**
 * Everything the run talks to: the sandbox (commercetools, Session API, Stripe emulator) and
 * jwt-mock as child processes, the webhook proxy, and N processor replicas set up as an operator
 * would: post-deploy (the command) creates the one Stripe webhook endpoint, pointing at the
 * proxy, and stores its signing secret, which every replica reads at start.
 */
export interface Cluster {
  sandbox: SpawnedService<SandboxUrls>;
  ct: string;
  stripeUrl: string;
  /** The processor's environment (upstreams and keys), as the operator's commands get it. */
  env: Record<string, string | undefined>;
  replicas: Replicas;
  proxy: WebhookProxy;
  scan: LogScan;
  /** The stripe SDK with the secret key, pointed at the emulator (the run's own reads). */
  stripe: Stripe;
  /** The browser's stripe SDK (publishable key). */
  browser: Stripe;
  /** A commercetools bearer token of the run itself (not the connector's client). */
  ctToken: string;
  /** An OAuth2 token for /operations, as commercetools Checkout would present it. */
  opsToken: string;
  /** The same for charges of stored cards (`POST /operations/transactions`). */
  txToken: string;
  postDeploy: CommandResult;
  stop(): Promise<void>;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs one of the connector's commands as an operator does (`node --import tsx src/cli/…`). */
export function runCommand(
  script: string,
  args: string[],
  env: Record<string, string | undefined>,
  scan: LogScan,
): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, ...args],
      { cwd: PROCESSOR_DIR, env: { PATH: process.env.PATH, ...env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        for (const line of `${stdout}`.split('\n')) scan.line(`${script} stdout`, line);
        for (const line of `${stderr}`.split('\n')) scan.line(`${script} stderr`, line);
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr), ms: Date.now() - started });
      },
    );
  });
}

export function stripeClient(url: string, key: string): Stripe {
  const target = new URL(url);
  return new Stripe(key, {
    host: target.hostname,
    port: Number(target.port),
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 3,
  });
}

export async function startCluster(replicaCount: number): Promise<Cluster> {
  const [sandbox, jwt] = await Promise.all([startSandbox(), startJwtMock({ CTP_PROJECT_KEY: 'sandbox' })]);
  const scan = new LogScan();
  const replicaList: Replica[] = [];
  const proxy = await startWebhookProxy(() => replicaList);
  const stop = async () => {
    await Promise.all(replicaList.map((r) => r.stop()));
    await proxy.close();
    await Promise.all([sandbox.stop(), jwt.stop()]);
  };
  try {
    const ct = sandbox.info.commercetools;
    const env = validEnv({
      CTP_AUTH_URL: ct,
      CTP_API_URL: ct,
      CTP_CHECKOUT_URL: ct,
      CTP_SESSION_URL: sandbox.info.sessionApi,
      CTP_JWKS_URL: jwt.info.jwksUrl,
      CTP_JWT_ISSUER: jwt.info.issuer,
      STRIPE_API_URL: sandbox.info.stripe,
      CONNECT_SERVICE_URL: proxy.url,
      STRIPE_WEBHOOK_SIGNING_SECRET: undefined,
      STRIPE_SAVED_PAYMENT_METHODS: 'on',
    });
    delete env.STRIPE_WEBHOOK_SIGNING_SECRET;
    const postDeploy = await runCommand('src/cli/deploy.ts', ['post-deploy', '--json'], env, scan);
    if (postDeploy.code !== 0) throw new Error(`post-deploy failed:\n${postDeploy.stdout}\n${postDeploy.stderr}`);
    for (let i = 0; i < replicaCount; i++) replicaList.push(new Replica(i, flavorOf(i), env, scan));
    await Promise.all(replicaList.map((r) => r.start()));

    const token = await send(`${ct}/oauth/token`, {
      form: 'grant_type=client_credentials&scope=manage_project:sandbox',
      headers: { authorization: `Basic ${Buffer.from('chaos-run:chaos-secret').toString('base64')}` },
    });
    const ops = await must(`${ct}/_sandbox/tokens`, { scope: 'manage_checkout_payment_intents:sandbox' });
    const tx = await must(`${ct}/_sandbox/tokens`, { scope: 'manage_checkout_transactions:sandbox' });
    return {
      sandbox,
      ct,
      stripeUrl: sandbox.info.stripe,
      env,
      replicas: new Replicas(replicaList),
      proxy,
      scan,
      stripe: stripeClient(sandbox.info.stripe, 'sk_test_sandbox'),
      browser: stripeClient(sandbox.info.stripe, sandbox.info.stripePublishableKey),
      ctToken: token.body.access_token,
      opsToken: ops.access_token,
      txToken: tx.access_token,
      postDeploy,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
