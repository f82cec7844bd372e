/**
 * `*.updated` events carry `data.previous_attributes`: the earlier value of exactly the fields
 * that changed. And the changes Stripe makes by itself: the balance transaction of an
 * `automatic_async` payment, an expired authorization.
 */
import type Stripe from 'stripe';
import { startEmulator, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

/** Events about an object, oldest first. */
const eventsAbout = (id: string, type: string) =>
  h.emulator.state.events.filter((e) => e.type === type && (e.data.object as { id?: string }).id === id);
const lastUpdate = (id: string, type: string) => eventsAbout(id, type).at(-1);

const pay = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
  h.stripe.paymentIntents.create({
    amount: 3000,
    currency: 'eur',
    payment_method: 'pm_card_visa',
    confirm: true,
    capture_method: 'automatic',
    ...params,
  });

describe('previous_attributes', () => {
  it('charge.updated: the changed description and metadata, nothing else', async () => {
    const pi = await pay({ metadata: { order: '1' } });
    const chargeId = String(pi.latest_charge);
    await h.stripe.charges.update(chargeId, { description: 'Order 1', metadata: { cart: 'c-1' } });
    const event = lastUpdate(chargeId, 'charge.updated')!;
    expect(event.data.previous_attributes).toEqual({ description: null, metadata: { order: '1' } });
    expect(event.data.object).toMatchObject({ description: 'Order 1', metadata: { order: '1', cart: 'c-1' } });
  });

  it('charge.updated after a further capture of a multicapture: the amounts and balance transaction before it', async () => {
    const pi = await pay({
      capture_method: 'manual',
      payment_method_options: { card: { request_multicapture: 'if_available' } },
    });
    await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 1000, final_capture: false });
    const first = await h.stripe.charges.retrieve(String(pi.latest_charge));
    await h.stripe.paymentIntents.capture(pi.id, { amount_to_capture: 500, final_capture: false });
    const event = lastUpdate(first.id, 'charge.updated')!;
    expect(event.data.previous_attributes).toEqual({
      amount_captured: 1000,
      balance_transaction: first.balance_transaction,
    });
  });

  it('refund.updated: the metadata before', async () => {
    const pi = await pay();
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100, metadata: { a: '1' } });
    await h.stripe.refunds.update(refund.id, { metadata: { b: '2' } });
    expect(lastUpdate(refund.id, 'refund.updated')!.data.previous_attributes).toEqual({ metadata: { a: '1' } });
  });

  it('an update that changes nothing emits no event, as in Stripe', async () => {
    const pi = await pay();
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100, metadata: { a: '1' } });
    await h.stripe.refunds.update(refund.id, { metadata: { a: '1' } });
    expect(eventsAbout(refund.id, 'refund.updated')).toEqual([]);
  });

  it('refund.updated and charge.refund.updated of a refund that fails later: its status before', async () => {
    const pi = await pay();
    const refund = await h.stripe.refunds.create({ payment_intent: pi.id, amount: 100 });
    await h.control(`/refunds/${refund.id}/settle`, { outcome: 'failed' });
    for (const type of ['refund.updated', 'charge.refund.updated']) {
      const event = lastUpdate(refund.id, type)!;
      expect(event.data.previous_attributes).toEqual({ status: 'succeeded' });
      expect(event.data.object).toMatchObject({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
    }
  });

  it('charge.dispute.updated on submitted evidence: evidence, evidence details and status before', async () => {
    const pi = await pay();
    const dispute = (await h.control(`/payment_intents/${pi.id}/dispute`, {})).body as Stripe.Dispute;
    await h.stripe.disputes.update(dispute.id, { evidence: { customer_name: 'Jenny Rosen' } });
    const event = lastUpdate(dispute.id, 'charge.dispute.updated')!;
    const previous = event.data.previous_attributes as Partial<Stripe.Dispute>;
    expect(Object.keys(previous).sort()).toEqual(['evidence', 'evidence_details', 'status']);
    expect(previous.status).toBe('needs_response');
    expect(previous.evidence?.customer_name).toBeNull();
    expect(previous.evidence_details).toMatchObject({
      has_evidence: false,
      submission_count: 0,
      submission_method: 'not_submitted',
    });
    expect(event.data.object).toMatchObject({
      status: 'under_review',
      evidence: { customer_name: 'Jenny Rosen' },
      evidence_details: { has_evidence: true, submission_count: 1, submission_method: 'manual' },
    });
  });

  it('customer.updated: only the fields that changed', async () => {
    const customer = await h.stripe.customers.create({ email: 'old@example.com', name: 'Jenny' });
    await h.stripe.customers.update(customer.id, { email: 'new@example.com', name: 'Jenny' });
    expect(lastUpdate(customer.id, 'customer.updated')!.data.previous_attributes).toEqual({
      email: 'old@example.com',
    });
  });
});

describe("Stripe's own later changes", () => {
  it('automatic_async: no balance transaction on the answer, charge.succeeded or payment_intent.succeeded; a charge.updated brings it', async () => {
    const pi = await pay({ capture_method: 'automatic_async', expand: ['latest_charge'] });
    const answered = pi.latest_charge as Stripe.Charge;
    expect(answered).toMatchObject({ status: 'succeeded', captured: true, balance_transaction: null });
    await h.emulator.delivery.idle();
    const succeeded = eventsAbout(answered.id, 'charge.succeeded');
    expect(succeeded.map((e) => (e.data.object as Stripe.Charge).balance_transaction)).toEqual([null]);
    const charge = await h.stripe.charges.retrieve(answered.id);
    expect(charge.balance_transaction).toMatch(/^txn_/);
    const updated = eventsAbout(answered.id, 'charge.updated');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.data.previous_attributes).toEqual({ balance_transaction: null });
    expect(updated[0]!.request).toEqual({ id: null, idempotency_key: null });
  });

  it('capture_method automatic: the balance transaction is on charge.succeeded, and no charge.updated follows', async () => {
    const pi = await pay();
    const chargeId = String(pi.latest_charge);
    expect((eventsAbout(chargeId, 'charge.succeeded')[0]!.data.object as Stripe.Charge).balance_transaction).toMatch(
      /^txn_/,
    );
    expect(eventsAbout(chargeId, 'charge.updated')).toEqual([]);
  });

  it('an authorization left uncaptured past its window is canceled with cancellation_reason expired', async () => {
    const pi = await pay({ capture_method: 'manual' });
    await h.control(`/payment_intents/${pi.id}/expire`);
    const expired = await h.stripe.paymentIntents.retrieve(pi.id);
    expect(expired).toMatchObject({ status: 'canceled', cancellation_reason: 'expired', amount_capturable: 0 });
    expect(eventsAbout(pi.id, 'payment_intent.canceled').at(-1)!.data.object).toMatchObject({
      cancellation_reason: 'expired',
    });
  });
});
