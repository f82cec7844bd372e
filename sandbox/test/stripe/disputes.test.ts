import type Stripe from 'stripe';
import { eventTypes, startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const paid = (paymentMethod = 'pm_card_visa') =>
  h.stripe.paymentIntents.create({ amount: 4200, currency: 'eur', payment_method: paymentMethod, confirm: true });

const disputeEvents = async (id: string) => (await eventTypes(h, id)).filter((t) => t.startsWith('charge.dispute.'));

describe('disputes', () => {
  it('a chargeback withdraws the amount plus the dispute fee, and blocks refunds', async () => {
    const pi = await paid();
    const opened = await h.control(`/charges/${pi.latest_charge}/dispute`, { reason: 'fraudulent' });
    expect(opened.body).toMatchObject({
      object: 'dispute',
      amount: 4200,
      status: 'needs_response',
      payment_intent: pi.id,
      reason: 'fraudulent',
      is_charge_refundable: false,
      payment_method_details: { card: { case_type: 'chargeback' } },
    });
    expect(opened.body.balance_transactions).toMatchObject([{ amount: -4200, fee: 1500, net: -5700 }]);
    expect((await h.stripe.charges.retrieve(String(pi.latest_charge))).disputed).toBe(true);
    expect((await h.stripe.disputes.list({ payment_intent: pi.id })).data.map((d) => d.id)).toEqual([opened.body.id]);
    expect(await stripeError(h.stripe.refunds.create({ payment_intent: pi.id }))).toMatchObject({
      code: 'charge_disputed',
    });
    expect(await disputeEvents(opened.body.id)).toEqual(['charge.dispute.created', 'charge.dispute.funds_withdrawn']);
  });

  it('closes won (funds reinstated, fee kept) or lost; a closed dispute cannot change', async () => {
    const pi = await paid();
    const opened = await h.control(`/payment_intents/${pi.id}/dispute`, {});
    const won = await h.control(`/disputes/${opened.body.id}/close`, { outcome: 'won' });
    expect(won.body.status).toBe('won');
    expect(won.body.balance_transactions.map((b: Stripe.BalanceTransaction) => b.net)).toEqual([-5700, 4200]);
    expect(await disputeEvents(opened.body.id)).toEqual([
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.funds_reinstated',
      'charge.dispute.closed',
    ]);
    expect((await h.control(`/disputes/${opened.body.id}/close`, { outcome: 'lost' })).status).toBe(400);

    const other = await paid();
    const lost = await h.control(`/payment_intents/${other.id}/dispute`, { amount: 1000 });
    expect((await h.control(`/disputes/${lost.body.id}/close`, { outcome: 'lost' })).body.status).toBe('lost');
    expect(await h.stripe.disputes.retrieve(lost.body.id)).toMatchObject({ status: 'lost', amount: 1000 });
  });

  it("Stripe's dispute test cards are disputed as soon as they are paid", async () => {
    const pi = await paid('pm_card_createDispute');
    const [dispute] = (await h.stripe.disputes.list({ payment_intent: pi.id })).data;
    expect(dispute).toMatchObject({ status: 'needs_response', reason: 'fraudulent' });
    const inquiry = await paid('pm_card_createDisputeInquiry');
    const [question] = (await h.stripe.disputes.list({ payment_intent: inquiry.id })).data;
    expect(question).toMatchObject({
      status: 'warning_needs_response',
      is_charge_refundable: true,
      balance_transactions: [],
    });
  });

  it('evidence with winning_evidence wins, losing_evidence loses, as in Stripe test mode', async () => {
    const winning = (await h.stripe.disputes.list({ payment_intent: (await paid('pm_card_createDispute')).id }))
      .data[0]!;
    const staged = await h.stripe.disputes.update(winning.id, {
      evidence: { customer_name: 'Jenny Rosen' },
      submit: false,
    });
    expect(staged).toMatchObject({ status: 'needs_response', evidence: { customer_name: 'Jenny Rosen' } });
    const won = await h.stripe.disputes.update(winning.id, { evidence: { uncategorized_text: 'winning_evidence' } });
    expect(won.status).toBe('won');
    expect(won.evidence_details.submission_count).toBe(1);
    expect(await stripeError(h.stripe.disputes.update(winning.id, { metadata: { a: 'b' } }))).toMatchObject({
      statusCode: 400,
    });

    const losing = (await h.stripe.disputes.list({ payment_intent: (await paid('pm_card_createDispute')).id }))
      .data[0]!;
    expect(
      (await h.stripe.disputes.update(losing.id, { evidence: { uncategorized_text: 'losing_evidence' } })).status,
    ).toBe('lost');
  });

  it('an inquiry escalates to a chargeback, or closes as warning_closed', async () => {
    const escalated = (
      await h.stripe.disputes.list({ payment_intent: (await paid('pm_card_createDisputeInquiry')).id })
    ).data[0]!;
    const chargeback = await h.stripe.disputes.update(escalated.id, {
      evidence: { uncategorized_text: 'escalate_inquiry_evidence' },
    });
    expect(chargeback).toMatchObject({ status: 'needs_response', is_charge_refundable: false });
    expect(chargeback.balance_transactions).toHaveLength(1);

    const closed = (await h.stripe.disputes.list({ payment_intent: (await paid('pm_card_createDisputeInquiry')).id }))
      .data[0]!;
    expect((await h.stripe.disputes.close(closed.id)).status).toBe('warning_closed');
  });

  it('accepting a dispute (close) loses it', async () => {
    const pi = await paid();
    const opened = await h.control(`/payment_intents/${pi.id}/dispute`, { reason: 'product_not_received' });
    expect(await h.stripe.disputes.close(opened.body.id)).toMatchObject({ status: 'lost' });
  });

  it('refuses to dispute an uncaptured charge', async () => {
    const held = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      capture_method: 'manual',
    });
    expect((await h.control(`/payment_intents/${held.id}/dispute`, {})).status).toBe(400);
  });
});
