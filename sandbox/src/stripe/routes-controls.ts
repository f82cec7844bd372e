import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { CONTROL_PREFIX } from '../controls/install';
import { authenticate, keyOf } from './auth';
import { invalid, missing } from './errors';
import type { Params } from './form';
import { idOf, paramsOf } from './http';
import { challengeDonePage, challengePage, errorPage, redirectPage } from './pages';
import { PaymentIntents } from './payment-intents';
import type { PaymentMethodDomains } from './payment-method-domains';
import type { PaymentRouteDeps } from './routes-payments';
import { DELIVERY_ORDERS, type Delivery, type DeliveryOrder } from './webhooks-delivery';

export interface ControlDeps extends PaymentRouteDeps {
  delivery: Delivery;
  domains: PaymentMethodDomains;
  keys: { secret: string; publishable: string };
}

type Req = FastifyRequest;

function choice<T extends string>(body: Params, name: string, values: readonly T[], required = true): T | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
    throw invalid(`${name} must be one of ${values.join(', ')}`, name);
  return value as T;
}

/**
 * Test controls of the Stripe emulator, under `/_sandbox/` (faults, counters and reset are the
 * shared controls): the shopper's side of challenges and redirects, async settlement, refund
 * failures, disputes, webhook delivery, and "dashboard" actions that bypass the connector.
 */
export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { state, paymentIntents, flow, captures, refunds, disputes, delivery, domains } = deps;
  const c = CONTROL_PREFIX;
  const body = paramsOf;

  /** The pending challenge of a PaymentIntent, proven by the token of its next_action URL. */
  const challenged = (request: Req): Stripe.PaymentIntent | undefined => {
    const pi = state.paymentIntents.get(idOf(request));
    const token = body(request).token;
    if (!pi || typeof token !== 'string' || state.actionTokens.get(pi.id) !== token) return undefined;
    return pi;
  };

  // The shopper's side, as the Stripe.js stand-in and the hosted pages reach it.
  app.post(`${c}/payment_intents/:id/authenticate`, async (request: Req) => {
    if (keyOf(request)) authenticate(request, deps.keys);
    const pi = paymentIntents.get(idOf(request));
    if (body(request).client_secret !== pi.client_secret) throw missing('payment_intent', pi.id, 'intent');
    const result = flow.authenticate(pi, choice(body(request), 'outcome', ['succeed', 'fail'] as const)!);
    // The browser's view: the stand-in calls this with the publishable key.
    return PaymentIntents.browserView(result);
  });
  // What Stripe.js reads for a Payment Element given a customerSessionClientSecret (Stripe's own
  // call is private): the session's features and the customer's cards the element may show again.
  app.get(`${c}/elements/customer-session`, async (request: Req) => {
    authenticate(request, deps.keys);
    const secret = body(request).customer_session_client_secret;
    const session = typeof secret === 'string' ? state.customerSessions.get(secret) : undefined;
    if (!session || session.expires_at * 1000 < Date.now())
      throw invalid('The customer session client secret is invalid or expired.', 'customer_session_client_secret');
    const element = session.components?.payment_element;
    const features = element?.enabled ? element.features : null;
    const filters: string[] = features?.payment_method_allow_redisplay_filters ?? ['always'];
    const redisplay = features?.payment_method_redisplay === 'enabled';
    const cards = [...state.paymentMethods.values()]
      .filter(
        (pm) =>
          pm.customer === session.customer &&
          pm.type === 'card' &&
          filters.includes(pm.allow_redisplay ?? 'unspecified'),
      )
      .reverse()
      .slice(0, features?.payment_method_redisplay_limit ?? 3);
    return {
      customer: session.customer,
      payment_element_enabled: element?.enabled ?? false,
      payment_method_save: features?.payment_method_save ?? 'disabled',
      payment_method_save_usage: features?.payment_method_save_usage ?? null,
      saved_payment_methods: redisplay
        ? cards.map((pm) => ({
            id: pm.id,
            type: pm.type,
            allow_redisplay: pm.allow_redisplay,
            card: {
              brand: pm.card!.brand,
              last4: pm.card!.last4,
              exp_month: pm.card!.exp_month,
              exp_year: pm.card!.exp_year,
            },
          }))
        : [],
    };
  });
  app.get(`${c}/3ds/:id`, async (request: Req, reply: FastifyReply) => {
    const pi = challenged(request);
    reply.type('text/html; charset=utf-8');
    if (!pi) return reply.code(404).send(errorPage('This authentication is no longer pending.'));
    return challengePage({ id: pi.id, token: String(body(request).token), amount: pi.amount, currency: pi.currency });
  });
  app.post(`${c}/3ds/:id`, async (request: Req, reply: FastifyReply) => {
    const pi = challenged(request);
    reply.type('text/html; charset=utf-8');
    if (!pi) return reply.code(404).send(errorPage('This authentication is no longer pending.'));
    const result = flow.authenticate(pi, choice(body(request), 'outcome', ['succeed', 'fail'] as const)!);
    return challengeDonePage(pi.id, result.status);
  });
  app.get(`${c}/redirect/:id`, async (request: Req, reply: FastifyReply) => {
    const pi = challenged(request);
    reply.type('text/html; charset=utf-8');
    if (!pi) return reply.code(404).send(errorPage('This payment is no longer waiting for the bank.'));
    return redirectPage({ id: pi.id, token: String(body(request).token), amount: pi.amount, currency: pi.currency });
  });
  app.post(`${c}/redirect/:id`, async (request: Req, reply: FastifyReply) => {
    const pi = challenged(request);
    if (!pi)
      return reply
        .code(404)
        .type('text/html; charset=utf-8')
        .send(errorPage('This payment is no longer waiting for the bank.'));
    const returnUrl = state.returnUrls.get(pi.id);
    const result = flow.authenticate(pi, choice(body(request), 'outcome', ['succeed', 'fail'] as const)!);
    if (!returnUrl) return reply.type('text/html; charset=utf-8').send(challengeDonePage(pi.id, result.status));
    const target = new URL(returnUrl);
    target.searchParams.set('payment_intent', pi.id);
    target.searchParams.set('payment_intent_client_secret', String(pi.client_secret));
    const ok = ['succeeded', 'requires_capture', 'processing'].includes(result.status);
    target.searchParams.set('redirect_status', ok ? 'succeeded' : 'failed');
    return reply.redirect(target.toString(), 303);
  });

  // Stripe's own later moves: settlement, expiry, refund outcomes, disputes.
  // Apple's verification of a payment method domain fails (or passes again).
  app.post(`${c}/payment_method_domains/apple_pay`, async (request: Req) => {
    const params = body(request);
    const name = params.domain_name;
    if (typeof name !== 'string' || name === '') throw invalid('domain_name is required', 'domain_name');
    const verified = params.verified;
    if (typeof verified !== 'boolean' && verified !== 'true' && verified !== 'false')
      throw invalid('verified must be true or false', 'verified');
    const message = params.message;
    if (message !== undefined && typeof message !== 'string') throw invalid('message must be a string', 'message');
    const affected = domains.setApplePayVerified(name, verified === true || verified === 'true', message);
    return { domain_name: name.trim().toLowerCase(), payment_method_domains: affected };
  });

  app.post(`${c}/payment_intents/:id/settle`, async (request: Req) =>
    flow.settle(
      paymentIntents.get(idOf(request)),
      choice(body(request), 'outcome', ['succeeded', 'failed'] as const, false),
    ),
  );
  app.post(`${c}/payment_intents/:id/expire`, async (request: Req) =>
    captures.expire(paymentIntents.get(idOf(request))),
  );
  app.post(`${c}/refunds/:id/settle`, async (request: Req) =>
    refunds.settle(idOf(request), choice(body(request), 'outcome', ['succeeded', 'failed'] as const)!),
  );
  app.post(`${c}/refunds/mode`, async (request: Req) => {
    const pending = body(request).pending;
    refunds.pendingByDefault = pending === true || pending === 'true';
    return { pending: refunds.pendingByDefault };
  });
  app.post(`${c}/charges/:id/dispute`, async (request: Req) => disputes.open(idOf(request), stringify(body(request))));
  app.post(`${c}/payment_intents/:id/dispute`, async (request: Req) => {
    const pi = paymentIntents.get(idOf(request));
    if (typeof pi.latest_charge !== 'string')
      throw invalid('The PaymentIntent has no charge to dispute.', 'payment_intent');
    return disputes.open(pi.latest_charge, stringify(body(request)));
  });
  app.post(`${c}/disputes/:id/close`, async (request: Req) =>
    disputes.close(idOf(request), choice(body(request), 'outcome', ['won', 'lost'] as const)!),
  );

  // "Dashboard" actions: what a merchant does in Stripe directly, bypassing the connector.
  app.post(`${c}/dashboard/payment_intents/:id/capture`, async (request: Req) => {
    const final = body(request).final;
    return captures.capture(paymentIntents.get(idOf(request)), {
      ...(body(request).amount === undefined ? {} : { amount_to_capture: String(body(request).amount) }),
      ...(final === undefined ? {} : { final_capture: String(final) }),
    });
  });
  app.post(`${c}/dashboard/payment_intents/:id/cancel`, async (request: Req) =>
    captures.cancel(paymentIntents.get(idOf(request)), {
      cancellation_reason: String(body(request).reason ?? 'requested_by_customer'),
    }),
  );
  app.post(`${c}/dashboard/payment_intents/:id/refund`, async (request: Req) => {
    const amount = body(request).amount;
    return refunds.create({
      payment_intent: idOf(request),
      ...(amount === undefined ? {} : { amount: String(amount) }),
    });
  });

  // Webhook delivery.
  app.post(`${c}/webhooks/pause`, async () => {
    delivery.pause();
    return delivery.controls;
  });
  app.post(`${c}/webhooks/resume`, async (request: Req) => {
    const order = choice(body(request), 'order', DELIVERY_ORDERS, false);
    return { released: delivery.resume(order ?? delivery.controls.order), controls: delivery.controls };
  });
  app.post(`${c}/webhooks/settings`, async (request: Req) => {
    const b = body(request);
    if (b.copies !== undefined) {
      const copies = Number(b.copies);
      if (!Number.isInteger(copies) || copies < 1 || copies > 10) throw invalid('copies must be 1-10', 'copies');
      delivery.controls.copies = copies;
    }
    const order = choice(b, 'order', DELIVERY_ORDERS, false);
    if (order) delivery.controls.order = order as DeliveryOrder;
    if (b.dropNext !== undefined) {
      const dropNext = Number(b.dropNext);
      if (!Number.isInteger(dropNext) || dropNext < 0) throw invalid('dropNext must be an integer >= 0', 'dropNext');
      delivery.controls.dropNext = dropNext;
    }
    if (b.dropTypes !== undefined) {
      if (!Array.isArray(b.dropTypes)) throw invalid('dropTypes must be an array of event types', 'dropTypes');
      delivery.controls.dropTypes = b.dropTypes.map(String);
    }
    return delivery.controls;
  });
  app.post(`${c}/webhooks/events/:id/resend`, async (request: Req) => {
    const event = state.events.find((e) => e.id === idOf(request));
    if (!event) throw missing('event', idOf(request), 'id');
    return { resent: delivery.resend(event) };
  });
  app.get(`${c}/webhooks/status`, async () => ({
    pending: delivery.pending(),
    controls: delivery.controls,
    events: state.events.length,
    attempts: delivery.attempts.slice(-500),
  }));
}

/** Control bodies may be JSON: hand numbers and booleans to the state machine as the API would. */
function stringify(body: Params): Params {
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [k, typeof v === 'number' || typeof v === 'boolean' ? String(v) : v]),
  );
}
