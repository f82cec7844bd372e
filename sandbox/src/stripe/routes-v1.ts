import type { FastifyInstance, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { requireSecret } from './auth';
import { listObject, paginate, paymentMethodObject } from './charges';
import { invalid, missing, StripeApiError } from './errors';
import { expandList, int, metadata, str, type Params } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import type { PaymentIntents } from './payment-intents';
import type { Disputes, Refunds } from './refunds';
import { searchMatches } from './search';
import type { EmulatorState } from './state';
import { TEST_CARD_NUMBERS, TEST_METHODS } from './test-methods';
import { WebhookEndpoints, type Delivery } from './webhooks';

export interface V1Deps {
  state: EmulatorState;
  paymentIntents: PaymentIntents;
  refunds: Refunds;
  disputes: Disputes;
  endpoints: WebhookEndpoints;
  delivery: Delivery;
}

type Req = FastifyRequest;
const idOf = (request: Req): string => (request.params as Record<string, string>).id ?? '';
const params = (request: Req): Params => ({
  ...((request.query as Params) ?? {}),
  ...((request.body as Params) ?? {}),
});

/** A PaymentIntent as the API shows it, with the requested expansions. */
function expandPaymentIntent(deps: V1Deps, pi: Stripe.PaymentIntent, expand: string[]): Stripe.PaymentIntent {
  const out = structuredClone(pi) as Stripe.PaymentIntent & Record<string, unknown>;
  if (
    expand.some((e) => e === 'latest_charge' || e.startsWith('latest_charge.')) &&
    typeof pi.latest_charge === 'string'
  ) {
    const charge = structuredClone(deps.state.charges.get(pi.latest_charge)) as Stripe.Charge | undefined;
    if (charge && expand.includes('latest_charge.refunds')) {
      charge.refunds = listObject(deps.refunds.list({ charge: charge.id }), `/v1/charges/${charge.id}/refunds`);
    }
    out.latest_charge = charge ?? pi.latest_charge;
  }
  if (expand.includes('payment_method') && typeof pi.payment_method === 'string') {
    out.payment_method =
      deps.state.paymentMethods.get(pi.payment_method) ??
      paymentMethodObject(deps.paymentIntents.resolveMethod(pi.payment_method));
  }
  if (expand.includes('customer') && typeof pi.customer === 'string')
    out.customer = deps.state.customers.get(pi.customer) ?? pi.customer;
  return out;
}

/** Browser calls may use the publishable key, but only with the PaymentIntent's client secret. */
function paymentIntentFor(deps: V1Deps, request: Req): Stripe.PaymentIntent {
  const pi = deps.paymentIntents.get(idOf(request));
  if (request.stripeKey?.kind === 'secret') return pi;
  if (params(request).client_secret !== pi.client_secret) throw missing('payment_intent', idOf(request), 'intent');
  return pi;
}

export function registerV1Routes(app: FastifyInstance, deps: V1Deps): void {
  const { state, paymentIntents, refunds, disputes, endpoints } = deps;
  const secret = { preHandler: async (request: FastifyRequest) => requireSecret(request) };

  // PaymentIntents
  app.post('/v1/payment_intents', secret, async (request: Req) =>
    expandPaymentIntent(deps, paymentIntents.create(params(request)), expandList(params(request))),
  );
  app.get('/v1/payment_intents', secret, async (request: Req) => {
    const p = params(request);
    const customer = str(p, 'customer');
    const created = (typeof p.created === 'object' && p.created !== null ? p.created : {}) as Params;
    const gte = Number(created.gte ?? created.gt ?? -Infinity);
    const lte = Number(created.lte ?? created.lt ?? Infinity);
    const items = [...state.paymentIntents.values()].filter(
      (pi) => (!customer || pi.customer === customer) && pi.created >= gte && pi.created <= lte,
    );
    return paginate(items, p, '/v1/payment_intents');
  });
  app.get('/v1/payment_intents/search', secret, async (request: Req) => {
    const query = str(params(request), 'query', { required: true })!;
    const data = [...state.paymentIntents.values()]
      .filter((pi) => searchMatches(query, pi as unknown as Record<string, unknown>))
      .reverse();
    const limit = int(params(request), 'limit', { min: 1 }) ?? 10;
    return {
      object: 'search_result',
      data: data.slice(0, limit),
      has_more: data.length > limit,
      next_page: null,
      url: '/v1/payment_intents/search',
    };
  });
  app.get('/v1/payment_intents/:id', async (request: Req) =>
    expandPaymentIntent(deps, paymentIntentFor(deps, request), expandList(params(request))),
  );
  app.post('/v1/payment_intents/:id', secret, async (request: Req) =>
    expandPaymentIntent(deps, paymentIntents.update(idOf(request), params(request)), expandList(params(request))),
  );
  app.post('/v1/payment_intents/:id/confirm', async (request: Req) => {
    const pi = paymentIntentFor(deps, request);
    return expandPaymentIntent(deps, paymentIntents.confirm(pi.id, params(request)), expandList(params(request)));
  });
  app.post('/v1/payment_intents/:id/capture', secret, async (request: Req) =>
    expandPaymentIntent(deps, paymentIntents.capture(idOf(request), params(request)), expandList(params(request))),
  );
  app.post('/v1/payment_intents/:id/cancel', secret, async (request: Req) =>
    expandPaymentIntent(deps, paymentIntents.cancel(idOf(request), params(request)), expandList(params(request))),
  );

  // Charges
  app.get('/v1/charges', secret, async (request: Req) => {
    const pi = str(params(request), 'payment_intent');
    return paginate(
      [...state.charges.values()].filter((c) => !pi || c.payment_intent === pi),
      params(request),
      '/v1/charges',
    );
  });
  app.get('/v1/charges/:id', secret, async (request: Req) => {
    const charge = state.charges.get(idOf(request));
    if (!charge) throw missing('charge', idOf(request), 'charge');
    const out = structuredClone(charge);
    if (expandList(params(request)).includes('refunds'))
      out.refunds = listObject(refunds.list({ charge: charge.id }), `/v1/charges/${charge.id}/refunds`);
    return out;
  });

  // Refunds and disputes
  app.post('/v1/refunds', secret, async (request: Req) => refunds.create(params(request)));
  app.get('/v1/refunds', secret, async (request: Req) =>
    paginate(refunds.list(params(request)), params(request), '/v1/refunds'),
  );
  app.get('/v1/refunds/:id', secret, async (request: Req) => refunds.get(idOf(request)));
  app.post('/v1/refunds/:id', secret, async (request: Req) => refunds.update(idOf(request), params(request)));
  app.get('/v1/disputes', secret, async (request: Req) =>
    paginate(disputes.list(params(request)), params(request), '/v1/disputes'),
  );
  app.get('/v1/disputes/:id', secret, async (request: Req) => disputes.get(idOf(request)));

  // Customers, customer sessions, payment methods
  app.post('/v1/customers', secret, async (request: Req) => {
    const p = params(request);
    const customer = {
      id: newId('cus'),
      object: 'customer',
      created: nowSeconds(),
      email: str(p, 'email') ?? null,
      name: str(p, 'name') ?? null,
      description: str(p, 'description') ?? null,
      livemode: false,
      metadata: metadata(p) ?? {},
      balance: 0,
      delinquent: false,
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    } as unknown as Stripe.Customer;
    state.customers.set(customer.id, customer);
    return customer;
  });
  app.get('/v1/customers/search', secret, async (request: Req) => {
    const query = str(params(request), 'query', { required: true })!;
    const data = [...state.customers.values()].filter((c) =>
      searchMatches(query, c as unknown as Record<string, unknown>),
    );
    return { object: 'search_result', data, has_more: false, next_page: null, url: '/v1/customers/search' };
  });
  app.get('/v1/customers/:id', secret, async (request: Req) => {
    const customer = state.customers.get(idOf(request));
    if (!customer) throw missing('customer', idOf(request), 'customer');
    return customer;
  });
  app.post('/v1/customers/:id', secret, async (request: Req) => {
    const customer = state.customers.get(idOf(request));
    if (!customer) throw missing('customer', idOf(request), 'customer');
    const p = params(request);
    const email = str(p, 'email');
    if (email !== undefined) customer.email = email;
    const name = str(p, 'name');
    if (name !== undefined) customer.name = name;
    const meta = metadata(p, customer.metadata);
    if (meta) customer.metadata = meta;
    return customer;
  });
  app.post('/v1/customer_sessions', secret, async (request: Req) => {
    const customer = str(params(request), 'customer', { required: true })!;
    if (!state.customers.has(customer)) throw missing('customer', customer, 'customer');
    return {
      object: 'customer_session',
      client_secret: `cuss_secret_${randomToken(32)}`,
      components: (params(request).components as Record<string, unknown>) ?? {},
      created: nowSeconds(),
      customer,
      expires_at: nowSeconds() + 1800,
      livemode: false,
    };
  });
  app.get('/v1/payment_methods/:id', async (request: Req) => {
    const id = idOf(request);
    const stored = state.paymentMethods.get(id);
    if (stored) return stored;
    const known = TEST_METHODS[id];
    if (!known) throw missing('PaymentMethod', id, 'payment_method');
    return paymentMethodObject(known);
  });
  // Stripe.js creates card payment methods from what the shopper typed.
  app.post('/v1/payment_methods', async (request: Req) => {
    const p = params(request);
    if (str(p, 'type', { required: true }) !== 'card')
      throw invalid('Only card payment methods can be created here.', 'type');
    const number = String((p.card as Params | undefined)?.number ?? '').replace(/\s/g, '');
    const testMethod = TEST_CARD_NUMBERS[number];
    if (!testMethod) {
      throw new StripeApiError(402, 'card_error', 'Your card number is incorrect.', {
        code: 'incorrect_number',
        param: 'card[number]',
      });
    }
    const pm = paymentMethodObject({ ...TEST_METHODS[testMethod]!, id: newId('pm') });
    pm.metadata = { test_method: testMethod };
    state.paymentMethods.set(pm.id, pm);
    return pm;
  });

  // Webhook endpoints and events
  app.post('/v1/webhook_endpoints', secret, async (request: Req) => endpoints.create(params(request)));
  app.get('/v1/webhook_endpoints', secret, async (request: Req) =>
    paginate(endpoints.list(), params(request), '/v1/webhook_endpoints'),
  );
  app.get('/v1/webhook_endpoints/:id', secret, async (request: Req) =>
    WebhookEndpoints.view(endpoints.get(idOf(request))),
  );
  app.post('/v1/webhook_endpoints/:id', secret, async (request: Req) =>
    endpoints.update(idOf(request), params(request)),
  );
  app.delete('/v1/webhook_endpoints/:id', secret, async (request: Req) => endpoints.delete(idOf(request)));
  app.get('/v1/events', secret, async (request: Req) => {
    const p = params(request);
    const type = str(p, 'type');
    const created = (p.created ?? {}) as Params;
    const gte = typeof created === 'object' ? Number(created.gte ?? created.gt ?? -Infinity) : Number(created);
    const undelivered = str(p, 'delivery_success') === 'false';
    const items = state.events.filter(
      (e) =>
        (!type || e.type === type || (type.endsWith('*') && e.type.startsWith(type.slice(0, -1)))) &&
        e.created >= gte &&
        (!undelivered || !deps.delivery.succeeded.has(e.id)),
    );
    return paginate(items, p, '/v1/events');
  });
  app.get('/v1/events/:id', secret, async (request: Req) => {
    const event = state.events.find((e) => e.id === idOf(request));
    if (!event) throw missing('event', idOf(request), 'id');
    return event;
  });

  app.get('/v1/balance', secret, async () => ({
    object: 'balance',
    available: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
    pending: [{ amount: 0, currency: 'eur', source_types: { card: 0 } }],
    livemode: false,
  }));
}
