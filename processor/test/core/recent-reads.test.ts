import { createRecentReads, markRead, SNAPSHOT_TTL_MS } from '../../src/core/recent-reads';
import type { PaymentIntentSnapshot } from '../../src/stripe/snapshot';
import { aCharge, aPaymentIntent } from '../../testing/builders';

describe('recent reads (the Stripe state a checkout’s syncs share)', () => {
  let clock = 1_000_000;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000;
  });

  const read = (status: 'requires_capture' | 'succeeded', at = clock): PaymentIntentSnapshot => {
    const paymentIntent = aPaymentIntent({ id: 'pi_1', status });
    markRead(paymentIntent, at);
    return { paymentIntent, charge: aCharge() };
  };

  it('answers the state planned from last, until 5 s after it was read', () => {
    const reads = createRecentReads({ now });
    const snapshot = read('succeeded');
    reads.rememberSnapshot(snapshot);
    clock += SNAPSHOT_TTL_MS - 1;
    expect(reads.snapshot('pi_1')).toEqual(snapshot);
    clock += 1;
    expect(reads.snapshot('pi_1')).toBeUndefined();
  });

  it('planning from a read again does not make it younger', () => {
    const reads = createRecentReads({ now });
    reads.rememberSnapshot(read('succeeded'));
    for (let i = 0; i < 4; i++) {
      clock += 1_000;
      const shared = reads.snapshot('pi_1');
      expect(shared).toBeDefined();
      reads.rememberSnapshot(shared!);
    }
    clock += 1_000;
    expect(reads.snapshot('pi_1')).toBeUndefined();
  });

  it('a newer read replaces it, an older one does not', () => {
    const reads = createRecentReads({ now });
    const older = read('requires_capture', clock - 100);
    const newer = read('succeeded');
    reads.rememberSnapshot(newer);
    reads.rememberSnapshot(older);
    expect(reads.snapshot('pi_1')?.paymentIntent.status).toBe('succeeded');
  });

  it('a write’s answer counts as read when first remembered; its capture details are not kept', () => {
    const reads = createRecentReads({ now });
    const answer = aPaymentIntent({ id: 'pi_1', status: 'succeeded' });
    reads.rememberSnapshot({ paymentIntent: answer, capture: { amount: 1000, total: 1000 } });
    expect(reads.snapshot('pi_1')).toEqual({ paymentIntent: answer });
    clock += SNAPSHOT_TTL_MS;
    reads.rememberSnapshot({ paymentIntent: answer });
    expect(reads.snapshot('pi_1')).toBeUndefined();
  });

  it('remembers the payment and cart of a PaymentIntent this process made', () => {
    const reads = createRecentReads({ now });
    reads.rememberCheckout('pi_1', { paymentId: 'pay-1', cartId: 'cart-1' });
    expect(reads.checkout('pi_1')).toEqual({ paymentId: 'pay-1', cartId: 'cart-1' });
    expect(reads.checkout('pi_2')).toBeUndefined();
  });
});
