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
