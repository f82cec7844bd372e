import type { Cluster } from './cluster';
import { must, send } from './http';
import type { Ledger } from './ledger';
import { sleep, type Rng } from './rng';

/** Every fault class the run injects; the CI run asserts that each one happened. */
export const FAULT_CLASSES = {
  ct409: 'commercetools 409 on payment updates',
  ct503: 'commercetools 503 on payment updates',
  ctSlow: 'commercetools payment writes slowed by seconds',
  stripe429: 'Stripe 429 on reads',
  captureLost: 'Stripe 500 after a capture (answer lost)',
  refundLost: 'Stripe 500 after a refund (answer lost)',
  webhookDup: 'webhooks duplicated (2 copies)',
  webhookResend: 'late duplicate webhook (resend)',
  webhookDrop: 'webhooks dropped',
  webhookReorder: 'webhooks held, then released shuffled or reversed',
  kill: 'replica kill -9 mid-request, restarted on its port',
  cartChange: 'cart changed between POST /payments and confirm',
  cartAbab: 'cart A→B→A→B with POST /payments after each change',
  dashboardCapture: 'dashboard capture',
  dashboardRefund: 'dashboard refund',
  dashboardCancel: 'dashboard cancel',
  refundFailed: 'refund failed after it succeeded',
  refundPending: 'refund pending, settled later',
  multicapture: 'multicapture (several partial captures)',
  threeDsAbandoned: '3-D Secure never completed',
  expiry: 'authorization expired',
  retryAfterWebhook: 'operation retried after its webhook landed',
  concurrentOp: 'operation sent to two replicas at once',
  dispute: 'dispute',
  savedCard: 'card saved while paying (storePaymentDetails)',
  storedPay: 'payment with a stored card (storedPaymentMethodId)',
  customerRace: "a customer's first payments on two replicas at once",
  recurringCart: 'recurring cart paid, saving its card (recurring payment job)',
  txCharge: 'stored card charged off-session (POST /operations/transactions)',
  txPartial: 'off-session charge of a part of the cart (amount)',
  txRepeat: 'off-session charge repeated (same body, with or without Idempotency-Key)',
  txConcurrent: 'off-session charge sent to two replicas at once',
  txKill: 'replica kill -9 mid-charge, retried',
  txCt409: 'commercetools 409 on cart updates during an off-session charge',
  txCt503: 'commercetools 503 on cart updates during an off-session charge',
  txStripe500: 'Stripe 500 after an off-session PaymentIntent was made (answer lost)',
  txAuthRequired: 'off-session charge of a card that needs authentication',
  txKeyOtherBody: "an off-session charge's Idempotency-Key reused with another body",
  methodDelete: 'stored card deleted (DELETE /stored-payment-methods)',
  methodDeleteTwice: 'stored card deleted twice',
  methodDeleteConcurrent: 'stored card deleted on two replicas at once',
} as const;

export type FaultClass = keyof typeof FAULT_CLASSES;

export interface FaultContext {
  cluster: Cluster;
  ledger: Ledger;
}

const ctFaults = (ctx: FaultContext, spec: unknown) => must(`${ctx.cluster.ct}/_sandbox/faults`, spec);
const stripeFaults = (ctx: FaultContext, spec: unknown) => must(`${ctx.cluster.stripeUrl}/_sandbox/faults`, spec);
export const stripeControl = (ctx: FaultContext, path: string, json: unknown = {}) =>
  must(`${ctx.cluster.stripeUrl}/_sandbox${path}`, json);

/** Faults on the updates of one commercetools payment (they hit whichever replica writes it next). */
export async function paymentWriteFault(
  ctx: FaultContext,
  paymentId: string,
  kind: 'ct409' | 'ct503' | 'ctSlow',
  r: Rng,
): Promise<void> {
  const path = `/sandbox/payments/${paymentId}`;
  if (kind === 'ct409') await ctFaults(ctx, { method: 'POST', path, status: 409, times: r.int(1, 3) });
  if (kind === 'ct503') await ctFaults(ctx, { method: 'POST', path, status: 503, times: r.int(2, 4) });
  if (kind === 'ctSlow') await ctFaults(ctx, { method: 'POST', path, delayMs: r.int(1000, 3000), times: r.int(1, 2) });
  ctx.ledger.faults.add(kind);
}

/** Reads of one PaymentIntent answer 429 (the connector's and anyone's). */
export async function readThrottle(ctx: FaultContext, paymentIntentId: string): Promise<void> {
  await stripeFaults(ctx, { method: 'GET', path: `/v1/payment_intents/${paymentIntentId}`, status: 429, times: 1 });
  ctx.ledger.faults.add('stripe429');
}

/**
 * Stripe performs the next captures of this PaymentIntent but their answers are lost (500), as
 * many times as the connector's Stripe client retries, so that the caller gets no answer.
 */
export async function loseCaptureAnswers(ctx: FaultContext, paymentIntentId: string): Promise<void> {
  const path = `/v1/payment_intents/${paymentIntentId}/capture`;
  await stripeFaults(ctx, { method: 'POST', path, status: 500, times: 3, phase: 'after' });
  ctx.ledger.faults.add('captureLost');
}

/**
 * Stripe makes the next off-session charges (PaymentIntents the connector keys
 * `ct-transaction:…`, docs/payment-model.md) but their answers are lost (500), as many times as
 * the connector's Stripe client retries, so that the caller gets no answer and retries.
 */
export async function loseCreateAnswers(ctx: FaultContext): Promise<void> {
  await stripeFaults(ctx, {
    method: 'POST',
    path: '/v1/payment_intents',
    idempotencyKey: 'ct-transaction:*',
    status: 500,
    times: 3,
    phase: 'after',
  });
}

/** Faults on the updates of one commercetools cart (an off-session charge puts its payment there). */
export async function cartWriteFault(
  ctx: FaultContext,
  cartId: string,
  kind: 'ct409' | 'ct503' | 'ctSlow',
  r: Rng,
): Promise<void> {
  const path = `/sandbox/carts/${cartId}`;
  if (kind === 'ct409') await ctFaults(ctx, { method: 'POST', path, status: 409, times: r.int(1, 3) });
  if (kind === 'ct503') await ctFaults(ctx, { method: 'POST', path, status: 503, times: r.int(2, 4) });
  if (kind === 'ctSlow') await ctFaults(ctx, { method: 'POST', path, delayMs: r.int(1000, 3000), times: 1 });
}

/** The same for the next refunds (Stripe's refund path names no PaymentIntent: whichever comes next). */
export async function loseRefundAnswers(ctx: FaultContext): Promise<void> {
  await stripeFaults(ctx, { method: 'POST', path: '/v1/refunds', status: 500, times: 3, phase: 'after' });
  ctx.ledger.faults.add('refundLost');
}

type Background = 'reorder' | 'dup' | 'drop' | 'pending' | 'resend';
const BACKGROUND: readonly Background[] = ['reorder', 'dup', 'drop', 'pending', 'resend'];

/**
 * Faults on the shared webhook delivery and refund settlement, while the checkouts run: holding
 * deliveries and releasing them shuffled or reversed, duplicate copies, dropped events, late
 * resends of past events, windows in which new refunds start pending. The first rounds go
 * through every kind once, so that a short run has each.
 */
export function startBackgroundChaos(ctx: FaultContext, r: Rng): { stop(): Promise<void> } {
  let stopping = false;
  const control = (path: string, json: unknown = {}) => stripeControl(ctx, path, json);
  const loop = (async () => {
    for (let round = 0; !stopping; round++) {
      const first = round < BACKGROUND.length;
      await sleep(first ? r.int(100, 400) : r.int(200, 1200));
      if (stopping) break;
      const kind = first ? BACKGROUND[round]! : r.pick(BACKGROUND);
      if (kind === 'reorder') {
        await control('/webhooks/pause');
        await sleep(first ? r.int(300, 600) : r.int(300, 1200));
        await control('/webhooks/resume', { order: r.pick(['shuffle', 'reverse'] as const) });
        ctx.ledger.faults.add('webhookReorder');
      } else if (kind === 'dup') {
        await control('/webhooks/settings', { copies: 2 });
        await sleep(first ? r.int(300, 600) : r.int(300, 1500));
        await control('/webhooks/settings', { copies: 1 });
        ctx.ledger.faults.add('webhookDup');
      } else if (kind === 'drop') {
        const n = r.int(1, 2);
        await control('/webhooks/settings', { dropNext: n });
        ctx.ledger.faults.add('webhookDrop', n);
      } else if (kind === 'pending') {
        await control('/refunds/mode', { pending: true });
        await sleep(first ? r.int(400, 800) : r.int(800, 2000));
        await control('/refunds/mode', { pending: false });
      } else {
        const events = await ctx.cluster.stripe.events.list({ limit: 30 });
        const event = events.data.length > 0 ? r.pick(events.data) : undefined;
        if (event) {
          await control(`/webhooks/events/${event.id}/resend`);
          ctx.ledger.faults.add('webhookResend');
        }
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      await control('/webhooks/resume', { order: 'in_order' });
      await control('/webhooks/settings', { copies: 1, dropNext: 0 });
      await control('/refunds/mode', { pending: false });
    },
  };
}

/** No fault left anywhere (quiescence starts). */
export async function clearFaults(ctx: FaultContext): Promise<{ unused: number }> {
  const [ct, stripe] = await Promise.all([
    send(`${ctx.cluster.ct}/_sandbox/faults`),
    send(`${ctx.cluster.stripeUrl}/_sandbox/faults`),
  ]);
  const unused = [ct, stripe].reduce((n, res) => n + (Array.isArray(res.body?.faults) ? res.body.faults.length : 0), 0);
  await must(`${ctx.cluster.ct}/_sandbox/faults`, undefined, 'DELETE');
  await must(`${ctx.cluster.stripeUrl}/_sandbox/faults`, undefined, 'DELETE');
  return { unused };
}
