import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import qs from 'qs';
import { CONTROL_PREFIX, installControls, installLateFaults, type Controls } from '../controls/install';
import { authenticate, keyOf } from './auth';
import { defaultStripeFaultBody, StripeApiError } from './errors';
import { installIdempotency } from './idempotency';
import { PaymentIntents } from './payment-intents';
import { Disputes, Refunds } from './refunds';
import { registerControlRoutes } from './routes-controls';
import { registerV1Routes } from './routes-v1';
import { registerStandIn } from './stand-in/routes';
import { EmulatorState } from './state';
import { Delivery, WebhookEndpoints } from './webhooks';

export interface StripeEmulatorOptions {
  secretKey?: string;
  publishableKey?: string;
  logger?: boolean;
  /** Milliseconds between delivery attempts of a failed webhook; the last one ends the retries. */
  webhookRetrySchedule?: number[];
  /** Settle asynchronous payments by themselves after this delay; only by control call when unset. */
  asyncSettleDelayMs?: number;
}

export interface StripeEmulator {
  app: FastifyInstance;
  state: EmulatorState;
  delivery: Delivery;
  controls: Controls;
  secretKey: string;
  publishableKey: string;
  close(): Promise<void>;
}

/** A fast retry schedule for local runs and tests (Stripe itself retries for three days). */
export const FAST_RETRY_SCHEDULE = [200, 500, 1000, 2000, 4000, 8000];

/**
 * A stateful Stripe API emulator for the sandbox: PaymentIntents, charges, refunds, disputes,
 * customers, webhook endpoints, events with signed delivery, idempotency and API-key rules,
 * reachable by the real `stripe` SDK with `{host, port, protocol: 'http'}`.
 */
export async function createStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const secretKey = options.secretKey ?? 'sk_test_sandbox';
  const publishableKey = options.publishableKey ?? 'pk_test_sandbox';
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    // GET parameters use the same bracket notation as bodies (`expand[0]=latest_charge`).
    routerOptions: { querystringParser: (query: string) => qs.parse(query, { depth: 10, arrayLimit: 200 }) },
  });
  const state = new EmulatorState();
  const delivery = new Delivery(state, options.webhookRetrySchedule ?? FAST_RETRY_SCHEDULE);
  state.onEvent((event) => delivery.enqueue(event));
  let baseUrl = 'http://127.0.0.1:12111';
  const emit = (type: string, object: { id: string }, previous?: Record<string, unknown>) =>
    void state.emit(type, object, previous);
  const paymentIntents = new PaymentIntents(state, emit, {
    baseUrl: () => baseUrl,
    ...(options.asyncSettleDelayMs !== undefined ? { asyncSettleDelayMs: options.asyncSettleDelayMs } : {}),
  });
  const refunds = new Refunds(state, emit);
  const disputes = new Disputes(state, emit);
  const endpoints = new WebhookEndpoints(state);

  app.removeAllContentTypeParsers();
  // Stripe's wire format: form-encoded with bracket notation (qs), every value a string.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, qs.parse(String(body), { depth: 10, arrayLimit: 200, parameterLimit: 2000 }));
  });
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, body ? JSON.parse(String(body)) : {});
    } catch {
      done(new StripeApiError(400, 'invalid_request_error', 'Invalid JSON body.'), undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));

  // The Stripe.js stand-in calls from the checkout page's origin.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('access-control-allow-origin', request.headers.origin ?? '*');
    reply.header('access-control-allow-headers', 'authorization, content-type, stripe-version, idempotency-key');
    reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
    reply.header('request-id', `req_${Math.random().toString(36).slice(2, 16)}`);
    if (request.method === 'OPTIONS') return reply.code(204).send();
  });

  const controls = installControls(app, {
    defaultFaultBody: defaultStripeFaultBody,
    onReset: () => {
      state.clear();
      delivery.reset();
      idempotency.clear();
      refunds.pendingByDefault = false;
    },
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    if (!request.url.startsWith('/v1/')) return;
    request.stripeKey = authenticate(request, { secret: secretKey, publishable: publishableKey });
  });
  const idempotency = installIdempotency(app, (request) => keyOf(request) ?? 'anonymous');
  installLateFaults(app);

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof StripeApiError) return reply.code(error.status).send(error.body());
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { type: 'invalid_request_error', message: (error as Error).message } });
    }
    request.log.error({ err: error }, 'emulator error');
    return reply.code(500).send({ error: { type: 'api_error', message: 'An unknown error occurred.' } });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}).`,
      },
    }),
  );

  registerV1Routes(app, { state, paymentIntents, refunds, disputes, endpoints, delivery });
  registerControlRoutes(app, { state, paymentIntents, refunds, disputes, delivery });
  registerStandIn(app, { publishableKey });

  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address && typeof address === 'object')
      baseUrl = `http://${address.address === '::' ? 'localhost' : address.address}:${address.port}`;
  });
  await app.ready();

  return {
    app,
    state,
    delivery,
    controls,
    secretKey,
    publishableKey,
    close: async () => {
      delivery.reset();
      await app.close();
    },
  };
}

export { CONTROL_PREFIX };
