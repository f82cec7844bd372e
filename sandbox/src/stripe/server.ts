import Fastify, { type FastifyInstance } from 'fastify';
import qs from 'qs';
import { CONTROL_PREFIX, installControls, installLateFaults, type Controls } from '../controls/install';
import { authenticate, keyOf } from './auth';
import { Captures } from './captures';
import { Customers } from './customers';
import { Disputes } from './disputes';
import { defaultStripeFaultBody, StripeApiError } from './errors';
import { randomToken } from './ids';
import { installIdempotency } from './idempotency';
import { PaymentFlow } from './payment-flow';
import { PaymentIntents } from './payment-intents';
import { PaymentMethodDomains } from './payment-method-domains';
import { PaymentMethods } from './payment-methods';
import { Refunds } from './refunds';
import { registerControlRoutes } from './routes-controls';
import { registerObjectRoutes } from './routes-objects';
import { registerPaymentRoutes } from './routes-payments';
import { installParamChecks } from './params/install';
import { ShapeChecks, ShapeDivergenceError } from './shape-checks';
import { registerStandIn } from './stand-in/routes';
import { API_VERSION, EmulatorState } from './state';
import { WebhookEndpoints } from './webhook-endpoints';
import { Delivery } from './webhooks-delivery';

export interface StripeEmulatorOptions {
  /** Default `sk_test_sandbox`. */
  secretKey?: string;
  /** Default `pk_test_sandbox`. */
  publishableKey?: string;
  logger?: boolean;
  /** Milliseconds between delivery attempts of a failed webhook; the last one ends the retries. */
  webhookRetrySchedule?: number[];
  /** How long a webhook endpoint may take to answer before the attempt counts as failed (default 10 s). */
  webhookTimeoutMs?: number;
  /**
   * Stripe's own later moves happen by themselves after this delay: asynchronous payments settle
   * and refunds of `pm_card_refundFail` fail. Unset: only by control call.
   */
  asyncSettleDelayMs?: number;
  /**
   * Check every `/v1/` answer and every event against the schemas generated from the `stripe`
   * package's types; a divergence is answered as a 500 naming the field and the rule, recorded
   * (`GET /_sandbox/shapes`) and reported. For tests: off by default, and free when off.
   */
  validateShapes?: boolean;
  /** Where divergences are reported (default: a line on stderr). */
  onShapeDivergence?: (message: string) => void;
}

export interface StripeEmulator {
  app: FastifyInstance;
  state: EmulatorState;
  delivery: Delivery;
  controls: Controls;
  /** The shape checks, when `validateShapes` is on. */
  shapes: ShapeChecks | undefined;
  secretKey: string;
  publishableKey: string;
  close(): Promise<void>;
}

/** A fast retry schedule for local runs and tests (Stripe itself retries for three days). */
export const FAST_RETRY_SCHEDULE = [200, 500, 1000, 2000, 5000];

const FORM = { depth: 10, arrayLimit: 200, parameterLimit: 2000 };

/**
 * A stateful Stripe API emulator for the sandbox: PaymentIntents, charges, refunds, disputes,
 * customers, payment methods, webhook endpoints, events with signed delivery, idempotency and
 * API-key rules, reachable by the real `stripe` SDK with `{host, port, protocol: 'http'}`.
 */
export async function createStripeEmulator(options: StripeEmulatorOptions = {}): Promise<StripeEmulator> {
  const secretKey = options.secretKey ?? 'sk_test_sandbox';
  const publishableKey = options.publishableKey ?? 'pk_test_sandbox';
  const keys = { secret: secretKey, publishable: publishableKey };
  const app = Fastify({
    logger: options.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    // GET parameters use the same bracket notation as bodies (`expand[0]=latest_charge`).
    routerOptions: { querystringParser: (query: string) => qs.parse(query, FORM) },
  });

  const state = new EmulatorState();
  const shapes = options.validateShapes ? new ShapeChecks(undefined, options.onShapeDivergence) : undefined;
  if (shapes) {
    state.checkEvent = (event) => shapes.event(event);
    // An event of Stripe's own later moves (timers) was already reported: nothing to answer to.
    state.scheduler.onError = (error) => {
      if (!(error instanceof ShapeDivergenceError)) throw error;
    };
  }
  const delivery = new Delivery(state, options.webhookRetrySchedule ?? FAST_RETRY_SCHEDULE, options.webhookTimeoutMs);
  state.onEvent((event) => delivery.enqueue(event));
  let baseUrl = 'http://localhost:12111';
  const methods = new PaymentMethods(state);
  const paymentIntents = new PaymentIntents(state, methods);
  const flow = new PaymentFlow(state, methods, {
    baseUrl: () => baseUrl,
    ...(options.asyncSettleDelayMs !== undefined ? { asyncSettleDelayMs: options.asyncSettleDelayMs } : {}),
  });
  paymentIntents.flow = flow;
  const refunds = new Refunds(
    state,
    options.asyncSettleDelayMs !== undefined ? { lateFailureDelayMs: options.asyncSettleDelayMs } : {},
  );
  const captures = new Captures(state, flow, refunds);
  const disputes = new Disputes(state);
  // Stripe's dispute test cards are disputed as soon as their charge is captured.
  flow.onCaptured = (charge, method) => {
    if (method?.dispute)
      disputes.open(charge.id, { reason: method.dispute.reason, inquiry: String(method.dispute.inquiry) });
  };
  const customers = new Customers(state, methods);
  const endpoints = new WebhookEndpoints(state);
  const domains = new PaymentMethodDomains(state);

  app.removeAllContentTypeParsers();
  // Stripe's wire format: form-encoded with bracket notation, every value a string.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, qs.parse(String(body), FORM));
  });
  // Controls take JSON too.
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
    request.stripeRequestId = `req_${randomToken(14)}`;
    reply.header('request-id', request.stripeRequestId);
    reply.header('stripe-version', API_VERSION);
    reply.header('access-control-allow-origin', request.headers.origin ?? '*');
    reply.header('access-control-allow-credentials', 'true');
    reply.header('access-control-expose-headers', 'request-id, stripe-version, idempotent-replayed');
    if (request.method === 'OPTIONS') {
      reply.header(
        'access-control-allow-headers',
        request.headers['access-control-request-headers'] ??
          'authorization, content-type, stripe-version, idempotency-key',
      );
      reply.header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS');
      reply.header('access-control-max-age', '300');
      return reply.code(204).send();
    }
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

  app.addHook('preHandler', async (request) => {
    if (request.url.startsWith('/v1/')) request.stripeKey = authenticate(request, keys);
  });
  const idempotency = installIdempotency(app, (request) => keyOf(request) ?? 'anonymous');
  installLateFaults(app);
  shapes?.install(app);
  app.get(`${CONTROL_PREFIX}/shapes`, async () => ({ validating: !!shapes, divergences: shapes?.divergences ?? [] }));

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
        message: `Unrecognized request URL (${request.method}: ${request.url.split('?')[0]}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      },
    }),
  );

  installParamChecks(app, state);
  registerPaymentRoutes(app, { state, paymentIntents, flow, captures, refunds, disputes });
  registerObjectRoutes(app, { state, customers, methods, endpoints, domains, delivery });
  registerControlRoutes(app, { state, paymentIntents, flow, captures, refunds, disputes, delivery, domains, keys });
  registerStandIn(app, { publishableKey });

  app.addHook('onListen', async () => {
    const address = app.server.address();
    if (address && typeof address === 'object') {
      const host = ['::', '0.0.0.0', '::1'].includes(address.address) ? 'localhost' : address.address;
      baseUrl = `http://${host}:${address.port}`;
    }
  });
  await app.ready();

  return {
    app,
    state,
    delivery,
    controls,
    shapes,
    secretKey,
    publishableKey,
    close: async () => {
      delivery.close();
      state.scheduler.clear();
      await app.close();
    },
  };
}

export { CONTROL_PREFIX };
