import { randomUUID } from 'node:crypto';
import { reconcile } from '../../src/sync/reconcile';
import { stripeFor } from '../../testing/stripe';
import { quiesce, startWiredProcessor } from '../../testing/wired';
import { call, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;

beforeAll(async () => {
  world = await startWorld();
  processor = await startWiredProcessor(world);
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

it('events of a PaymentIntent whose commercetools payment does not exist are answered 2xx once, logged, and listed by reconcile', async () => {
  const since = new Date(Date.now() - 60_000);
  const missing = randomUUID();
  const pi = await stripeFor(world).paymentIntents.create({
    amount: 1500,
    currency: 'eur',
    confirm: true,
    payment_method: 'pm_card_visa',
    allowed_payment_method_types: ['card'],
    metadata: { ct_payment_id: missing, ct_cart_id: randomUUID(), ct_project_key: 'sandbox' },
  } as never);
  await quiesce(world, 20_000);

  const events = (await stripeFor(world).events.list({ limit: 100 })).data.filter(
    (e) =>
      (e.data.object as { id?: string; payment_intent?: string }).id === pi.id ||
      (e.data.object as { payment_intent?: string }).payment_intent === pi.id,
  );
  expect(events.length).toBeGreaterThan(0);
  const status = await call(`${world.sandbox.info.stripe}/_sandbox/webhooks/status`);
  const attempts = (status.body.attempts as { eventId: string; status: number; attempt: number }[]).filter((a) =>
    events.some((e) => e.id === a.eventId),
  );
  expect(attempts.length).toBeGreaterThan(0);
  expect(attempts.every((a) => a.status >= 200 && a.status < 300 && a.attempt === 1)).toBe(true);
  expect(processor.logs.join('\n')).toContain(missing);

  const report = await reconcile(processor.deps.payments, since);
  const item = report.items.find((i) => i.paymentIntentId === pi.id);
  expect(item).toMatchObject({ result: 'missing-payment', paymentId: missing });
});

it('a PaymentIntent naming its payment by a key that does not exist: reported as missing when anyone tried to pay it, ignored when nobody ever did', async () => {
  const since = new Date(Date.now() - 60_000);
  const stripe = stripeFor(world);
  const paidKey = `${randomUUID()}-3`;
  const paid = await stripe.paymentIntents.create({
    amount: 1500,
    currency: 'eur',
    confirm: true,
    payment_method: 'pm_card_visa',
    allowed_payment_method_types: ['card'],
    metadata: { ct_payment_key: paidKey, ct_cart_id: randomUUID(), ct_project_key: 'sandbox' },
  } as never);
  // Made alongside a payment commercetools refused: its client secret never left the processor.
  const unpaid = await stripe.paymentIntents.create({
    amount: 1500,
    currency: 'eur',
    allowed_payment_method_types: ['card'],
    metadata: { ct_payment_key: `${randomUUID()}-3`, ct_cart_id: randomUUID(), ct_project_key: 'sandbox' },
  } as never);
  // Someone tried to pay this one (declined): its client secret was out, so its payment is missing.
  const tried = await stripe.paymentIntents
    .create({
      amount: 1500,
      currency: 'eur',
      confirm: true,
      payment_method: 'pm_card_chargeDeclined',
      allowed_payment_method_types: ['card'],
      metadata: { ct_payment_key: `${randomUUID()}-3`, ct_cart_id: randomUUID(), ct_project_key: 'sandbox' },
    } as never)
    .then(
      () => undefined,
      (error: { raw?: { payment_intent?: { id: string; status: string } } }) => error.raw?.payment_intent,
    );
  expect(tried?.status).toBe('requires_payment_method');
  await quiesce(world, 20_000);
  expect(processor.logs.join('\n')).toContain(`key=${paidKey}`);

  const report = await reconcile(processor.deps.payments, since, { dryRun: true });
  expect(report.items.find((i) => i.paymentIntentId === paid.id)).toMatchObject({
    result: 'missing-payment',
    paymentId: `key=${paidKey}`,
  });
  expect(report.items.find((i) => i.paymentIntentId === unpaid.id)).toMatchObject({ result: 'ignored' });
  expect(report.items.find((i) => i.paymentIntentId === tried!.id)).toMatchObject({ result: 'missing-payment' });
});
