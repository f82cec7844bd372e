import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import { buildApp } from '../src/app';
import { loadConfig, type Config } from '../src/config/load-config';
import { buildDeps, type AppDeps } from '../src/deps';
import { createLogger } from '../src/logger';
import {
  startJwtMock,
  startSandbox,
  type JwtMockInfo,
  type SandboxUrls,
  type SpawnedService,
} from 'sandbox/src/testing/spawn';
import { validEnv } from './env';

/**
 * The processor in-process on a real port, against the sandbox (commercetools, Session API,
 * Stripe emulator) and jwt-mock started as real child processes.
 */
export interface World {
  sandbox: SpawnedService<SandboxUrls>;
  jwt: SpawnedService<JwtMockInfo>;
  /** Upstreams only: start processors with other configs on them. */
  env: Record<string, string | undefined>;
  stop(): Promise<void>;
}

export interface Processor {
  url: string;
  app: FastifyInstance;
  config: Config;
  deps: AppDeps;
  /** Every log line the processor wrote. */
  logs: string[];
  close(): Promise<void>;
}

export async function startWorld(sandboxEnv: Record<string, string> = {}): Promise<World> {
  const [sandbox, jwt] = await Promise.all([startSandbox(sandboxEnv), startJwtMock({ CTP_PROJECT_KEY: 'sandbox' })]);
  const env = validEnv({
    CTP_AUTH_URL: sandbox.info.commercetools,
    CTP_API_URL: sandbox.info.commercetools,
    CTP_CHECKOUT_URL: sandbox.info.commercetools,
    CTP_SESSION_URL: sandbox.info.sessionApi,
    CTP_JWKS_URL: jwt.info.jwksUrl,
    CTP_JWT_ISSUER: jwt.info.issuer,
    ...(sandbox.info.stripe ? { STRIPE_API_URL: sandbox.info.stripe } : {}),
  });
  return { sandbox, jwt, env, stop: async () => void (await Promise.all([sandbox.stop(), jwt.stop()])) };
}

export async function startProcessor(
  world: World,
  overrides: Record<string, string | undefined> = {},
): Promise<Processor> {
  const config = loadConfig({ ...world.env, ...overrides });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const deps = buildDeps(config, createLogger('debug', sink));
  const app = await buildApp(deps);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  // Closing waits for requests in flight (webhooks the emulator is still delivering); bounded so
  // that a test's teardown never hangs on them.
  const close = () => Promise.race([app.close(), new Promise<void>((resolve) => setTimeout(resolve, 5000).unref())]);
  return { url, app, config, deps, logs, close };
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(
  url: string,
  init: {
    method?: string;
    session?: string;
    headers?: Record<string, string>;
    json?: unknown;
    raw?: string;
    contentType?: string;
  } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = {
    ...(init.session ? { 'x-session-id': init.session } : {}),
    ...init.headers,
  };
  let body: string | undefined;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  } else if (init.raw !== undefined) {
    headers['content-type'] = init.contentType ?? 'application/json';
    body = init.raw;
  }
  const res = await fetch(url, {
    method: init.method ?? (body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A ready cart and checkout session in the sandbox. */
export async function checkout(
  world: World,
  draft: Record<string, unknown> = {},
): Promise<{ cartId: string; sessionId: string; amountPlanned: { centAmount: number; currencyCode: string } }> {
  const res = await call(`${world.sandbox.info.commercetools}/_sandbox/checkout-session`, { json: draft });
  if (res.status !== 201) throw new Error(`checkout-session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
