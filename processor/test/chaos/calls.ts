import Stripe from 'stripe';
import type { FaultContext } from './faults';
import { send, type Answer } from './http';
import { isAnswer } from './ledger';
import type { Flavor, Replica } from './replicas';
import { sleep, type Rng } from './rng';

export interface RunContext extends FaultContext {
  seed: number;
  /** The commercetools customers whose checkouts share saved cards. */
  pool: string[];
}

/**
 * A browser call to the processor as a storefront makes it: to a live replica (of a flavor,
 * for `POST /payments`), retried on another one after a 5xx, a 409 conflict, a 429 or no answer,
 * for up to `maxMs`.
 */
export async function browserCall(
  ctx: RunContext,
  r: Rng,
  path: string,
  session: string,
  json: unknown,
  flavor?: Flavor,
  // Long enough for a connector to adopt a payment whose creation was cut (30 s in its design).
  maxMs = 35_000,
): Promise<Answer & { replica: Replica; attempts: number }> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const replica = await ctx.cluster.replicas.choose((n) => r.int(0, n - 1), flavor);
    const answer = await send(`${replica.url}${path}`, { json, headers: { 'x-session-id': session } });
    const conflict = answer.status === 409 && answer.body?.errors?.[0]?.code === 'ConcurrentModification';
    if ((isAnswer(answer.status) && !conflict) || Date.now() - started > maxMs)
      return { ...answer, replica, attempts: attempt };
    ctx.ledger.outcomes.add(`browser call retried after ${answer.status || answer.error}`);
    await sleep(Math.min(150 * attempt, 1500));
  }
}

/**
 * A browser call of another method (`GET`/`DELETE /stored-payment-methods`) to one replica, with
 * the session; answers as they come (no retry).
 */
export function sessionCall(replica: Replica, method: string, path: string, session: string): Promise<Answer> {
  return send(`${replica.url}${path}`, { method, headers: { 'x-session-id': session } });
}

/** What Stripe says of a PaymentIntent now (the run's own read, with its charge and refunds). */
export interface PiState {
  pi: Stripe.PaymentIntent;
  charge?: Stripe.Charge;
  refunds: Stripe.Refund[];
  captured: number;
  /** Captured and not refunded (refunds that failed gave it back). */
  refundable: number;
}

/** Stripe reads of the run itself retry throttling and network errors (faults aimed at the connector may hit them). */
export async function stripeRead<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      const retriable =
        error instanceof Stripe.errors.StripeRateLimitError ||
        error instanceof Stripe.errors.StripeConnectionError ||
        error instanceof Stripe.errors.StripeAPIError;
      if (!retriable || attempt >= 8) throw error;
      await sleep(100 * attempt);
    }
  }
}

export async function piState(ctx: RunContext, paymentIntentId: string): Promise<PiState> {
  const { stripe } = ctx.cluster;
  const [pi, refunds] = await Promise.all([
    stripeRead(() => stripe.paymentIntents.retrieve(paymentIntentId, { expand: ['latest_charge'] })),
    stripeRead(() => stripe.refunds.list({ payment_intent: paymentIntentId, limit: 100 })),
  ]);
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? pi.latest_charge : undefined;
  const captured = charge?.amount_captured ?? 0;
  const refunded = refunds.data
    .filter((x) => x.status !== 'failed' && x.status !== 'canceled')
    .reduce((sum, x) => sum + x.amount, 0);
  return {
    pi,
    ...(charge ? { charge } : {}),
    refunds: refunds.data,
    captured,
    refundable: Math.max(0, captured - refunded),
  };
}

/** A commercetools read of the run itself (its own token; reads are never faulted here). */
export async function ctRead<T = any>(ctx: RunContext, path: string): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const res = await send<T>(`${ctx.cluster.ct}/sandbox${path}`, {
      headers: { authorization: `Bearer ${ctx.cluster.ctToken}` },
    });
    if (res.status === 200) return res.body;
    if (attempt >= 5) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(100 * attempt);
  }
}

/** Changes the quantity of the cart's line item through the commercetools API; answers the new gross total. */
export async function changeQuantity(ctx: RunContext, cartId: string, quantity: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    const cart = await ctRead(ctx, `/carts/${cartId}`);
    const res = await send(`${ctx.cluster.ct}/sandbox/carts/${cartId}`, {
      headers: { authorization: `Bearer ${ctx.cluster.ctToken}` },
      json: {
        version: cart.version,
        actions: [{ action: 'changeLineItemQuantity', lineItemId: cart.lineItems[0].id, quantity }],
      },
    });
    if (res.status === 200) return (res.body.taxedPrice?.totalGross ?? res.body.totalPrice).centAmount;
    if (attempt >= 10) throw new Error(`cart ${cartId} update failed: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(50 * attempt);
  }
}

/**
 * Waits until the commercetools payment has more transactions of this type and amount than
 * `before` (a webhook recorded the movement), up to `timeoutMs`; answers whether it did.
 */
export async function waitForTransaction(
  ctx: RunContext,
  paymentId: string,
  type: string,
  amount: number,
  before: number,
  timeoutMs = 8000,
): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if ((await countTransactions(ctx, paymentId, type, amount)) > before) return true;
    await sleep(200);
  }
  return false;
}

export async function countTransactions(ctx: RunContext, paymentId: string, type: string, amount: number) {
  const payment = await ctRead(ctx, `/payments/${paymentId}`);
  return (payment.transactions as { type: string; state: string; amount: { centAmount: number } }[]).filter(
    (t) => t.type === type && t.amount.centAmount === amount && (t.state === 'Success' || t.state === 'Pending'),
  ).length;
}
