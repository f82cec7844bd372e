/**
 * Chaos consistency run: concurrent checkouts with random methods, capture modes and
 * operations while faults hit commercetools, Stripe and webhook delivery; after quiescence
 * (and a reconcile for dropped events) it checks the money invariants.
 */
import { desiredCtTransactions, loadSnapshot } from '../../src/sync/apply';
import { planPaymentActions } from '../../src/sync/plan-actions';
import { reconcile } from '../../src/sync/reconcile';
import { browserConfirm } from '../support/stripe';
import { oauthToken } from '../support/tokens';
import { control, ctControl, ordersOfCart, quiesce, startWiredProcessor } from '../support/wired';
import { call, checkout, startWorld, type Processor, type World } from '../support/world';

export interface ChaosOptions {
  checkouts: number;
  seed: number;
  concurrency?: number;
}

export interface ChaosReport {
  seed: number;
  checkouts: number;
  faults: Record<string, number>;
  outcomes: Record<string, number>;
  violations: string[];
  durationMs: number;
}

/** A small deterministic PRNG (mulberry32), so a seed replays the same run. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
  };
}

interface Ledger {
  paymentId: string;
  cartId: string;
  processor: Processor;
  refundsApproved: number;
  captureApproved: number;
}

async function retry<T extends { status: number }>(run: () => Promise<T>, tries = 4): Promise<T> {
  let last = await run();
  for (let i = 1; i < tries && last.status >= 500; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100 * i));
    last = await run();
  }
  return last;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const random = rng(options.seed);
  const faults: Record<string, number> = {};
  const outcomes: Record<string, number> = {};
  const count = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);
  const world: World = await startWorld();
  const processors: Processor[] = [];
  try {
    const auto = await startWiredProcessor(world, {
      STRIPE_CAPTURE_METHOD: 'automatic',
      STRIPE_PAYMENT_METHOD_TYPES: 'card,sepa_debit',
    });
    const manual = await startWiredProcessor(world, { STRIPE_CAPTURE_METHOD: 'manual' });
    processors.push(auto, manual);
    const token = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
    const since = new Date(Date.now() - 60_000);
    const ledgers: Ledger[] = [];

    const injectFaults = async () => {
      if (random.chance(0.3)) {
        await ctControl(world, '/faults', {
          method: 'POST',
          path: '/sandbox/payments/*',
          status: 409,
          times: 1 + Math.floor(random.next() * 3),
        });
        count(faults, 'commercetools 409 on payment updates');
      }
      if (random.chance(0.15)) {
        await ctControl(world, '/faults', { method: 'POST', path: '/sandbox/payments/*', status: 503, times: 4 });
        count(faults, 'commercetools 503 on payment updates');
      }
      if (random.chance(0.2)) {
        await control(world, '/faults', {
          method: 'POST',
          path: '/v1/payment_intents/*/capture',
          status: 500,
          times: 1,
          phase: 'after',
        });
        count(faults, 'Stripe 500 after a capture (answer lost)');
      }
      if (random.chance(0.2)) {
        await control(world, '/faults', { method: 'GET', path: '/v1/payment_intents/*', status: 429, times: 1 });
        count(faults, 'Stripe 429 on reads');
      }
      if (random.chance(0.15)) {
        await control(world, '/faults', { method: 'POST', path: '/v1/refunds', status: 500, times: 1, phase: 'after' });
        count(faults, 'Stripe 500 after a refund (answer lost)');
      }
      if (random.chance(0.2)) {
        await control(world, '/webhooks/settings', { copies: 2 });
        count(faults, 'webhook duplicates');
      } else {
        await control(world, '/webhooks/settings', { copies: 1 });
      }
      if (random.chance(0.1)) {
        await control(world, '/webhooks/settings', { dropNext: 2 });
        count(faults, 'webhooks dropped (2 events)');
      }
    };

    const outcomeOf = (res: {
      status: number;
      body: { outcome?: string; errors?: { code: string; message: string }[] };
    }) =>
      res.body?.outcome === 'rejected'
        ? `rejected (${res.body.errors?.[0]?.message ?? '?'})`
        : (res.body?.outcome ?? String(res.status));

    const one = async () => {
      await injectFaults();
      const p = random.chance(0.5) ? auto : manual;
      const method =
        p === auto
          ? random.pick(['pm_card_visa', 'pm_card_visa', 'pm_card_chargeDeclined', 'pm_sepa_debit'] as const)
          : random.pick(['pm_card_visa', 'pm_card_visa', 'pm_card_chargeDeclined'] as const);
      const { sessionId, cartId } = await checkout(world);
      const created = await retry(() =>
        call(`${p.url}/payments`, {
          session: sessionId,
          json: method === 'pm_sepa_debit' ? { paymentComponent: 'sepa_debit' } : {},
        }),
      );
      if (created.status !== 200) {
        count(outcomes, `create failed ${created.status}`);
        return;
      }
      const ledger: Ledger = {
        paymentId: created.body.paymentReference,
        cartId,
        processor: p,
        refundsApproved: 0,
        captureApproved: 0,
      };
      ledgers.push(ledger);
      await browserConfirm(world, created.body.clientSecret, method);
      const confirmed = await retry(() =>
        call(`${p.url}/confirmPayments/${ledger.paymentId}`, { session: sessionId, json: {} }),
      );
      count(outcomes, `confirm ${confirmed.body?.outcome ?? confirmed.status}`);
      const pi = (created.body.clientSecret as string).split('_secret_')[0]!;
      const op = (action: Record<string, unknown>) =>
        retry(() =>
          call(`${p.url}/operations/payment-intents/${ledger.paymentId}`, {
            headers: { authorization: `Bearer ${token}` },
            json: { actions: [action] },
          }),
        );
      if (method === 'pm_sepa_debit') {
        await control(world, `/payment_intents/${pi}/settle`, { outcome: random.chance(0.8) ? 'succeeded' : 'failed' });
        count(outcomes, 'async settled');
      }
      if (confirmed.body?.outcome !== 'approved') return;
      if (p === manual) {
        const choice = random.pick(['full', 'partial', 'cancel', 'concurrent'] as const);
        const amount = choice === 'partial' ? 1000 + Math.floor(random.next() * 1000) : 2999;
        if (choice === 'cancel') {
          count(outcomes, `cancel ${outcomeOf(await op({ action: 'cancelPayment' }))}`);
        } else if (choice === 'concurrent') {
          // The same capture sent twice at once: one capture at Stripe.
          const results = await Promise.all([
            op({ action: 'capturePayment', amount: { centAmount: 2999, currencyCode: 'EUR' } }),
            op({ action: 'capturePayment', amount: { centAmount: 2999, currencyCode: 'EUR' } }),
          ]);
          count(outcomes, `concurrent captures ${results.map((r) => r.body?.outcome ?? r.status).join('+')}`);
        } else {
          const res = await op({ action: 'capturePayment', amount: { centAmount: amount, currencyCode: 'EUR' } });
          count(outcomes, `capture ${outcomeOf(res)}`);
        }
      } else if (random.chance(0.6)) {
        for (let i = 0; i < 1 + Math.floor(random.next() * 2); i++) {
          const res = await op({
            action: 'refundPayment',
            amount: { centAmount: 500 + Math.floor(random.next() * 500), currencyCode: 'EUR' },
          });
          count(outcomes, `refund ${res.body?.outcome ?? res.status}`);
        }
      }
      if (random.chance(0.1)) {
        const dispute = await call(`${world.sandbox.info.stripe}/_sandbox/payment_intents/${pi}/dispute`, { json: {} });
        if (dispute.status === 200) {
          count(faults, 'disputes');
          await control(world, `/disputes/${dispute.body.id}/close`, { outcome: random.chance(0.5) ? 'won' : 'lost' });
        }
      }
    };

    const queue = Array.from({ length: options.checkouts }, (_, i) => i);
    await Promise.all(
      Array.from({ length: options.concurrency ?? 4 }, async () => {
        while (queue.shift() !== undefined) await one();
      }),
    );

    // Quiescence: faults off, deliveries drained, dropped events recovered by reconcile.
    await call(`${world.sandbox.info.commercetools}/_sandbox/faults`, { method: 'DELETE' });
    await call(`${world.sandbox.info.stripe}/_sandbox/faults`, { method: 'DELETE' });
    await control(world, '/webhooks/settings', { copies: 1, dropNext: 0 });
    await quiesce(world, 60_000);
    const reconciled = await reconcile(auto.deps.payments, since);
    count(outcomes, `reconcile fixed ${reconciled.fixed}`);
    await quiesce(world, 60_000);

    const violations = await check(ledgers, processors);
    return {
      seed: options.seed,
      checkouts: options.checkouts,
      faults,
      outcomes,
      violations,
      durationMs: Date.now() - started,
    };
  } finally {
    await Promise.all(processors.map((p) => p.close()));
    await world.stop();
  }
}

async function check(ledgers: Ledger[], processors: Processor[]): Promise<string[]> {
  const violations: string[] = [];
  const p = processors[0]!;
  for (const ledger of ledgers) {
    const payment = await p.deps.sdk.ctAPI.payment.getPaymentById(ledger.paymentId);
    const id = `payment ${payment.id}`;
    if (!payment.interfaceId) {
      violations.push(`${id}: no PaymentIntent linked`);
      continue;
    }
    const snapshot = await loadSnapshot(p.deps.stripe, payment.interfaceId, { refunds: true, disputes: true });
    // 5. the PaymentIntent is this payment's
    if (snapshot.paymentIntent.metadata.ct_payment_id !== payment.id)
      violations.push(`${id}: PaymentIntent ${payment.interfaceId} names another payment`);
    // 1. commercetools equals what Stripe implies
    const drift = planPaymentActions(payment, desiredCtTransactions(payment, snapshot), {
      interfaceId: payment.interfaceId,
    }).filter((a) => ['addTransaction', 'changeTransactionState'].includes(a.action));
    if (drift.length > 0) violations.push(`${id}: differs from Stripe (${drift.map((a) => a.action).join(', ')})`);
    // 3. refunded ≤ captured ≤ authorized
    const sum = (type: string) =>
      payment.transactions
        .filter((t) => t.type === type && t.state === 'Success')
        .reduce((s, t) => s + t.amount.centAmount, 0);
    const authorized = sum('Authorization');
    const captured = sum('Charge');
    const refunded = sum('Refund');
    if (!(refunded <= captured && captured <= authorized)) {
      violations.push(`${id}: refunded ${refunded}, captured ${captured}, authorized ${authorized}`);
    }
    // 2. no Stripe operation twice: captures never exceed the authorization, refunds the capture
    const charge = snapshot.charge;
    if (charge && charge.amount_captured > charge.amount)
      violations.push(`${id}: captured more than authorized at Stripe`);
    const stripeRefunded = (snapshot.refunds ?? [])
      .filter((r) => r.status !== 'failed')
      .reduce((s, r) => s + r.amount, 0);
    if (charge && stripeRefunded > charge.amount_captured)
      violations.push(`${id}: refunded more than captured at Stripe`);
    // 4. at most one order per cart, and only for authorized payments
    const orders = await ordersOfCart(p, ledger.cartId);
    if (orders.length > 1) violations.push(`${id}: ${orders.length} orders for cart ${ledger.cartId}`);
    const wasAuthorized =
      ['requires_capture', 'succeeded'].includes(snapshot.paymentIntent.status) ||
      Boolean(charge?.status === 'succeeded');
    if (orders.length > 0 && !wasAuthorized) violations.push(`${id}: an order for a payment that was never authorized`);
  }
  // 6. no secret, client secret or raw payload in the logs
  const logs = processors.flatMap((x) => x.logs).join('\n');
  if (/sk_test_sandbox|whsec_|_secret_[A-Za-z0-9]|"object":"payment_intent"/.test(logs))
    violations.push('logs contain a secret or a raw payload');
  return violations;
}

export function printChaos(report: ChaosReport): string {
  const rows = (map: Record<string, number>) => Object.entries(map).map(([k, v]) => `  ${String(v).padStart(5)}  ${k}`);
  return [
    `chaos run: ${report.checkouts} checkouts, seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)} s`,
    'faults injected:',
    ...rows(report.faults),
    'outcomes:',
    ...rows(report.outcomes),
    `violations: ${report.violations.length}`,
    ...report.violations.map((v) => `  - ${v}`),
    `replay with: npm run chaos -- --checkouts ${report.checkouts} --seed ${report.seed}`,
    '',
  ].join('\n');
}
