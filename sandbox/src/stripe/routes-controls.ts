import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CONTROL_PREFIX } from '../controls/install';
import { invalid, missing } from './errors';
import type { Params } from './form';
import type { PaymentIntents } from './payment-intents';
import type { Disputes, Refunds } from './refunds';
import type { EmulatorState } from './state';
import type { Delivery, DeliveryOrder } from './webhooks';

export interface ControlDeps {
  state: EmulatorState;
  paymentIntents: PaymentIntents;
  refunds: Refunds;
  disputes: Disputes;
  delivery: Delivery;
}

type Req = FastifyRequest;
const idOf = (request: Req): string => (request.params as Record<string, string>).id ?? '';
const body = (request: Req): Params => ({ ...((request.query as Params) ?? {}), ...((request.body as Params) ?? {}) });

function outcome<T extends string>(request: Req, values: readonly T[]): T {
  const value = body(request).outcome;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalid(`outcome must be one of ${values.join(', ')}`, 'outcome');
  }
  return value as T;
}

const ORDERS: readonly DeliveryOrder[] = ['in_order', 'reverse', 'shuffle'];

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page a redirect-based payment method sends the shopper to (the bank, in real life). */
function redirectPage(id: string, returnUrl: string): string {
  const button = (value: string, label: string) =>
    `<form method="post" action="${CONTROL_PREFIX}/redirect/${escape(id)}"><input type="hidden" name="return_url" value="${escape(returnUrl)}"><input type="hidden" name="outcome" value="${value}"><button id="${value}" type="submit">${label}</button></form>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Sandbox bank</title><style>body{font-family:sans-serif;max-width:28rem;margin:4rem auto}button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem}</style></head><body><h1>Sandbox bank</h1><p>Authorize the test payment ${escape(id)}?</p>${button('succeed', 'Authorize test payment')}${button('fail', 'Fail test payment')}</body></html>`;
}

/**
 * Test controls of the Stripe emulator, under `/_sandbox/` (faults, counters and reset are
 * installed by the shared controls): async settlement, 3-D Secure and redirect outcomes,
 * refund failures, disputes, webhook delivery, and "dashboard" actions that bypass the
 * connector.
 */
export function registerControlRoutes(app: FastifyInstance, deps: ControlDeps): void {
  const { paymentIntents, refunds, disputes, delivery, state } = deps;
  const p = CONTROL_PREFIX;

  // Browser side (called by the Stripe.js stand-in with the client secret).
  app.post(`${p}/payment_intents/:id/authenticate`, async (request: Req) => {
    const pi = paymentIntents.get(idOf(request));
    if (body(request).client_secret !== pi.client_secret) throw missing('payment_intent', pi.id, 'intent');
    return paymentIntents.authenticate(pi.id, outcome(request, ['succeed', 'fail'] as const));
  });
  app.get(`${p}/redirect/:id`, async (request: Req, reply: FastifyReply) => {
    paymentIntents.get(idOf(request));
    const returnUrl = String(body(request).return_url ?? '');
    return reply.type('text/html; charset=utf-8').send(redirectPage(idOf(request), returnUrl));
  });
  app.post(`${p}/redirect/:id`, async (request: Req, reply: FastifyReply) => {
    const pi = paymentIntents.get(idOf(request));
    const returnUrl = String(body(request).return_url ?? '');
    const result = paymentIntents.authenticate(pi.id, outcome(request, ['succeed', 'fail'] as const));
    const target = new URL(returnUrl);
    target.searchParams.set('payment_intent', pi.id);
    target.searchParams.set('payment_intent_client_secret', String(pi.client_secret));
    target.searchParams.set(
      'redirect_status',
      result.status === 'succeeded' || result.status === 'requires_capture' ? 'succeeded' : 'failed',
    );
    return reply.redirect(target.toString(), 303);
  });

  // Server side: settlement, refunds, disputes.
  app.post(`${p}/payment_intents/:id/settle`, async (request: Req) =>
    paymentIntents.settle(idOf(request), outcome(request, ['succeeded', 'failed'] as const)),
  );
  app.post(`${p}/refunds/:id/settle`, async (request: Req) =>
    refunds.settle(idOf(request), outcome(request, ['succeeded', 'failed'] as const)),
  );
  app.post(`${p}/refunds/mode`, async (request: Req) => {
    refunds.pendingByDefault = body(request).pending === true || body(request).pending === 'true';
    return { pending: refunds.pendingByDefault };
  });
  app.post(`${p}/charges/:id/dispute`, async (request: Req) => disputes.open(idOf(request), body(request)));
  app.post(`${p}/payment_intents/:id/dispute`, async (request: Req) => {
    const pi = paymentIntents.get(idOf(request));
    if (typeof pi.latest_charge !== 'string')
      throw invalid('The PaymentIntent has no charge to dispute.', 'payment_intent');
    return disputes.open(pi.latest_charge, body(request));
  });
  app.post(`${p}/disputes/:id/close`, async (request: Req) =>
    disputes.close(idOf(request), outcome(request, ['won', 'lost'] as const)),
  );

  // "Dashboard" actions: changes made in Stripe directly, without the connector.
  app.post(`${p}/dashboard/payment_intents/:id/capture`, async (request: Req) => {
    const amount = body(request).amount;
    return paymentIntents.capture(idOf(request), amount === undefined ? {} : { amount_to_capture: String(amount) });
  });
  app.post(`${p}/dashboard/payment_intents/:id/cancel`, async (request: Req) =>
    paymentIntents.cancel(idOf(request), { cancellation_reason: 'requested_by_customer' }),
  );
  app.post(`${p}/dashboard/payment_intents/:id/refund`, async (request: Req) => {
    const amount = body(request).amount;
    return refunds.create({
      payment_intent: idOf(request),
      ...(amount === undefined ? {} : { amount: String(amount) }),
    });
  });

  // Webhook delivery.
  app.post(`${p}/webhooks/pause`, async () => {
    delivery.pause();
    return delivery.controls;
  });
  app.post(`${p}/webhooks/resume`, async (request: Req) => {
    const order = body(request).order;
    if (order !== undefined && !ORDERS.includes(order as DeliveryOrder))
      throw invalid(`order must be one of ${ORDERS.join(', ')}`, 'order');
    return {
      released: delivery.resume((order as DeliveryOrder | undefined) ?? delivery.controls.order),
      controls: delivery.controls,
    };
  });
  app.post(`${p}/webhooks/settings`, async (request: Req) => {
    const b = body(request);
    if (b.copies !== undefined) {
      const copies = Number(b.copies);
      if (!Number.isInteger(copies) || copies < 1 || copies > 10) throw invalid('copies must be 1-10', 'copies');
      delivery.controls.copies = copies;
    }
    if (b.order !== undefined) {
      if (!ORDERS.includes(b.order as DeliveryOrder))
        throw invalid(`order must be one of ${ORDERS.join(', ')}`, 'order');
      delivery.controls.order = b.order as DeliveryOrder;
    }
    if (b.dropNext !== undefined) delivery.controls.dropNext = Math.max(0, Number(b.dropNext) || 0);
    if (b.dropTypes !== undefined)
      delivery.controls.dropTypes = Array.isArray(b.dropTypes) ? b.dropTypes.map(String) : [];
    return delivery.controls;
  });
  app.get(`${p}/webhooks/status`, async () => ({
    pending: delivery.pending(),
    controls: delivery.controls,
    events: state.events.length,
    delivered: delivery.succeeded.size,
    attempts: delivery.attempts.slice(-200),
  }));
}
