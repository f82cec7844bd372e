import { aCharge, aDispute, aPaymentIntent, aRefund } from '../../testing/builders';
import { sameStripeState, snapshotShows } from '../../src/sync/event-state';
import type { PaymentIntentSnapshot } from '../../src/stripe/snapshot';

/** An event's copy of an object: what Stripe serialized at the event's moment (JSON, no expansions). */
const asSent = <T>(object: T): T => JSON.parse(JSON.stringify(object)) as T;

describe('sameStripeState', () => {
  it.each([
    ['equal scalars', 1, 1, true],
    ['different scalars', 1, 2, false],
    ['null and null', null, null, true],
    ['null and a value', null, 'x', false],
    ['an id and the object it names (an expansion)', 'ch_1', { id: 'ch_1', amount: 5 }, true],
    ['an id and another object', 'ch_1', { id: 'ch_2' }, false],
    ['a field missing on one side', { a: 1, b: null }, { a: 1 }, false],
    ['the same fields in another order', { a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 }, true],
    ['arrays of another length', [1, 2], [1], false],
    ['arrays in another order', [1, 2], [2, 1], false],
    ['an array and an object', [], {}, false],
  ])('%s', (_name, a, b, same) => {
    expect(sameStripeState(a, b)).toBe(same);
    expect(sameStripeState(b, a)).toBe(same);
  });
});

describe('snapshotShows (an event needs no read of its own)', () => {
  const charge = aCharge({ id: 'ch_1', status: 'succeeded', amount_captured: 2999 });
  const paymentIntent = aPaymentIntent({ id: 'pi_1', status: 'succeeded', latest_charge: charge });
  const refund = aRefund({ id: 're_1', status: 'pending' });
  const dispute = aDispute({ id: 'dp_1', status: 'needs_response' });
  const snapshot: PaymentIntentSnapshot = { paymentIntent, charge, refunds: [refund], disputes: [dispute] };

  it('shows the PaymentIntent an event carries when every field is the same (its charge by id)', () => {
    expect(snapshotShows(snapshot, asSent({ ...paymentIntent, latest_charge: 'ch_1' }))).toBe(true);
  });

  it('does not show a PaymentIntent in another state, or another PaymentIntent', () => {
    expect(snapshotShows(snapshot, asSent({ ...paymentIntent, latest_charge: 'ch_1', status: 'processing' }))).toBe(
      false,
    );
    expect(snapshotShows(snapshot, asSent({ ...paymentIntent, latest_charge: 'ch_2' }))).toBe(false);
    expect(snapshotShows(snapshot, asSent({ ...paymentIntent, id: 'pi_2', latest_charge: 'ch_1' }))).toBe(false);
  });

  it('shows the charge, a refund and a dispute as they are, and not once they changed', () => {
    expect(snapshotShows(snapshot, asSent(charge))).toBe(true);
    expect(snapshotShows(snapshot, asSent({ ...charge, amount_refunded: 1000 }))).toBe(false);
    expect(snapshotShows(snapshot, asSent(refund))).toBe(true);
    expect(snapshotShows(snapshot, asSent({ ...refund, status: 'succeeded' }))).toBe(false);
    expect(snapshotShows(snapshot, asSent(dispute))).toBe(true);
    expect(snapshotShows(snapshot, asSent({ ...dispute, status: 'lost' }))).toBe(false);
  });

  it('shows no refund or dispute when their lists were not read', () => {
    const bare: PaymentIntentSnapshot = { paymentIntent, charge };
    expect(snapshotShows(bare, asSent(refund))).toBe(false);
    expect(snapshotShows(bare, asSent(dispute))).toBe(false);
  });

  it('shows nothing of an object it has no copy of, or of something that is no Stripe object', () => {
    expect(snapshotShows({ paymentIntent }, asSent(charge))).toBe(false);
    expect(snapshotShows(snapshot, { id: 'cus_1', object: 'customer' })).toBe(false);
    expect(snapshotShows(snapshot, undefined)).toBe(false);
    expect(snapshotShows(snapshot, 'pi_1')).toBe(false);
  });
});
