#!/usr/bin/env node
// `npm start`: runs the whole local world (jwt-mock, the sandbox's emulated commercetools and
// Stripe, and — once they exist — the processor and the demo checkout page), prints one screen
// with every URL, and stops everything on Ctrl-C. Ports come from `.env` or the environment.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (existsSync(path.join(root, '.env'))) process.loadEnvFile(path.join(root, '.env'));

const env = process.env;
const host = env.SANDBOX_HOST || '127.0.0.1';
const ports = {
  jwtMock: env.JWT_MOCK_PORT || '9000',
  commercetools: env.SANDBOX_CT_PORT || '8081',
  stripe: env.SANDBOX_STRIPE_PORT || '12111',
  processor: env.PROCESSOR_PORT || '8080',
  demo: env.DEMO_PORT || '3000',
};
const READY_TIMEOUT_MS = 30000;
const started = Date.now();

/** Everything the processor (and its post-deploy) needs to run against the sandbox. */
const processorEnv = (info) => ({
  PORT: ports.processor,
  HOST: host,
  PROCESSOR_EXIT_WITH_PARENT: 'true',
  CTP_PROJECT_KEY: info.sandbox.projectKey,
  CTP_CLIENT_ID: 'sandbox-connector',
  CTP_CLIENT_SECRET: 'sandbox-connector-secret',
  CTP_AUTH_URL: info.sandbox.commercetools,
  CTP_API_URL: info.sandbox.commercetools,
  CTP_SESSION_URL: info.sandbox.sessionApi,
  CTP_CHECKOUT_URL: info.sandbox.commercetools,
  CTP_JWKS_URL: info['jwt-mock'].jwksUrl,
  CTP_JWT_ISSUER: info['jwt-mock'].issuer,
  STRIPE_SECRET_KEY: 'sk_test_sandbox',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_sandbox',
  ...(info.sandbox.stripe ? { STRIPE_API_URL: info.sandbox.stripe } : {}),
  CONNECT_SERVICE_URL: `http://localhost:${ports.processor}`,
  MERCHANT_RETURN_URL: `http://localhost:${ports.demo}/`,
  ALLOWED_ORIGINS: `http://localhost:${ports.demo},http://127.0.0.1:${ports.demo}`,
  LOG_LEVEL: env.LOG_LEVEL || 'info',
  // The demo shopper can save cards (STRIPE_SAVED_PAYMENT_METHODS=off npm start to try without).
  STRIPE_SAVED_PAYMENT_METHODS: env.STRIPE_SAVED_PAYMENT_METHODS || 'on',
  // Try other setups of the sandbox processor, e.g. STRIPE_CAPTURE_METHOD=manual npm start.
  ...(env.STRIPE_CAPTURE_METHOD ? { STRIPE_CAPTURE_METHOD: env.STRIPE_CAPTURE_METHOD } : {}),
  ...(env.STRIPE_PAYMENT_METHOD_TYPES ? { STRIPE_PAYMENT_METHOD_TYPES: env.STRIPE_PAYMENT_METHOD_TYPES } : {}),
  ...(env.STRIPE_ENABLE_MULTICAPTURE ? { STRIPE_ENABLE_MULTICAPTURE: env.STRIPE_ENABLE_MULTICAPTURE } : {}),
});

/** Services that exist in this checkout, in start order. */
const services = [
  {
    name: 'jwt-mock',
    script: 'jwt-mock/src/main.ts',
    ready: 'JWT_MOCK_READY',
    env: { JWT_MOCK_PORT: ports.jwtMock, JWT_MOCK_HOST: host },
  },
  {
    name: 'sandbox',
    script: 'sandbox/src/main.ts',
    ready: 'SANDBOX_READY',
    env: {
      SANDBOX_CT_PORT: ports.commercetools,
      SANDBOX_STRIPE_PORT: ports.stripe,
      SANDBOX_PROCESSOR_URL: `http://localhost:${ports.processor}`,
      SANDBOX_ASYNC_SETTLE_MS: env.SANDBOX_ASYNC_SETTLE_MS || '10000',
    },
  },
  {
    name: 'processor',
    script: 'processor/src/main.ts',
    ready: 'PROCESSOR_READY',
    // As Connect deploys it: post-deploy first (webhook endpoint and its stored signing secret,
    // the connector's commercetools types), then the processor, which reads that secret.
    before: (info) =>
      runJob('post-deploy', 'processor/src/cli/deploy.ts', ['post-deploy', '--dotenv', 'none'], processorEnv(info)),
    env: processorEnv,
  },
  {
    name: 'demo',
    script: 'sandbox/src/demo/main.ts',
    ready: 'DEMO_READY',
    env: (info) => ({
      DEMO_PORT: ports.demo,
      DEMO_HOST: host,
      DEMO_PROCESSOR_URL: info.processor.url,
      DEMO_CT_URL: info.sandbox.commercetools,
      DEMO_STRIPE_URL: info.sandbox.stripe,
      DEMO_PROJECT_KEY: info.sandbox.projectKey,
    }),
  },
].filter((service) => existsSync(path.join(root, service.script)));

const children = [];
let stopping = false;

/** Runs a command to its end (its output prefixed with its name); throws when it fails. */
function runJob(name, script, args, jobEnv) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    cwd: root,
    env: { ...env, ...jobEnv },
    encoding: 'utf8',
  });
  for (const line of `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n'))
    if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
  if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status ?? result.signal})`);
}

function startService(service, info) {
  const serviceEnv = typeof service.env === 'function' ? service.env(info) : service.env;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', service.script], {
      cwd: root,
      env: { ...env, ...serviceEnv, SANDBOX_EXIT_WITH_PARENT: 'true', JWT_MOCK_EXIT_WITH_PARENT: 'true' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.push({ service, child });
    const timer = setTimeout(
      () => reject(new Error(`${service.name} was not ready after ${READY_TIMEOUT_MS} ms`)),
      READY_TIMEOUT_MS,
    );
    let buffer = '';
    let ready = false;
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      buffer += chunk;
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!ready && line.startsWith(`${service.ready} `)) {
          ready = true;
          clearTimeout(timer);
          resolve(JSON.parse(line.slice(service.ready.length + 1)));
        } else if (line.trim()) {
          process.stdout.write(`[${service.name}] ${line}\n`);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      for (const line of chunk.split('\n')) if (line.trim()) process.stderr.write(`[${service.name}] ${line}\n`);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${service.name} exited (${signal ?? code}) before it was ready`));
      else if (!stopping) {
        process.stderr.write(`${service.name} stopped unexpectedly (${signal ?? code}); stopping everything.\n`);
        void stopAll(1);
      }
    });
  });
}

async function stopAll(exitCode) {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
  process.exit(exitCode);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

function banner(info) {
  const sandbox = info.sandbox;
  const jwt = info['jwt-mock'];
  const rows = [
    ['processor', info.processor?.url ?? '(not built yet)'],
    ['demo checkout page', info.demo?.url ?? '(not built yet)'],
    ['commercetools API + OAuth', sandbox.commercetools],
    ['commercetools Session API', `${sandbox.sessionApi}/${sandbox.projectKey}/sessions`],
    ['Stripe API emulator', sandbox.stripe ?? '(not built yet)'],
    ['jwt-mock (Merchant Center)', `${jwt.url}/jwt/.well-known/jwks.json`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [
    '',
    `Sandbox ready in ${((Date.now() - started) / 1000).toFixed(1)} s — project key "${sandbox.projectKey}", no account, no network.`,
    '',
    ...rows.map(([name, url]) => `  ${name.padEnd(width)}  ${url}`),
    '',
    'Try it:',
    `  curl -s -X POST ${sandbox.commercetools}/_sandbox/checkout-session -H 'content-type: application/json' -d '{}'`,
    '      → {"cartId", "sessionId", ...}: a ready EUR cart and a checkout session (send it as x-session-id)',
    `  curl -s -X POST ${jwt.url}/jwt/token -H 'content-type: application/json' -d '{}'`,
    '      → a Merchant Center JWT for /operations/status and /operations/payment-components',
    `  curl -s -X POST -u client:secret ${sandbox.commercetools}/oauth/token -d grant_type=client_credentials -d scope=manage_project:${sandbox.projectKey}`,
    '      → an OAuth2 token for /operations/payment-intents',
    `  Test controls: ${sandbox.commercetools}/_sandbox/{reset,faults,counters} (see sandbox/README.md)`,
    '',
    'Ctrl-C stops everything.',
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

try {
  // The demo page serves the enabler bundle: build it first (under a second). Its type
  // declarations (dist/types, what a TypeScript storefront imports) are built meanwhile, so that
  // the enabler folder after npm start is the package `npm run build` makes.
  let declarations = Promise.resolve();
  if (services.some((s) => s.name === 'demo')) {
    const enabler = path.join(root, 'enabler');
    const build = spawnSync(
      process.execPath,
      [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
      { cwd: enabler, stdio: 'inherit' },
    );
    if (build.status !== 0) throw new Error('the enabler bundle could not be built');
    declarations = new Promise((resolve, reject) => {
      const tsc = spawn(
        process.execPath,
        [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
        { cwd: enabler, stdio: 'inherit' },
      );
      tsc.once('error', reject);
      tsc.once('exit', (code) =>
        code === 0 ? resolve() : reject(new Error('the enabler type declarations could not be built')),
      );
    });
  }
  const info = {};
  // jwt-mock and the sandbox do not depend on each other; the processor needs both.
  const [upstreams, rest] = [
    services.filter((s) => s.name === 'jwt-mock' || s.name === 'sandbox'),
    services.filter((s) => s.name !== 'jwt-mock' && s.name !== 'sandbox'),
  ];
  const first = await Promise.all(upstreams.map((service) => startService(service, info)));
  upstreams.forEach((service, i) => (info[service.name] = first[i]));
  for (const service of rest) {
    service.before?.(info);
    info[service.name] = await startService(service, info);
  }
  await declarations;
  banner(info);
} catch (err) {
  process.stderr.write(`npm start failed: ${err.message}\n`);
  await stopAll(1);
}
