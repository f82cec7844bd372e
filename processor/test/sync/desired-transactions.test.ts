import { desiredTransactions, releaseInteractionId } from '../../src/sync/desired-transactions';
import { aCharge, aDispute, aPaymentIntent, aRefund } from '../../testing/builders';

const declined = { code: 'card_declined', decline_code: 'generic_decline', type: 'card_error' } as never;

describe('desiredTransactions: Authorization over every PaymentIntent status', () => {
  it.each([
    ['requires_payment_method', {}, undefined, []],
    [
      'requires_payment_method',
      { last_payment_error: declined },
      undefined,
      [{ type: 'Authorization', state: 'Failure', amount: 2999 }],
    ],
    ['requires_confirmation', {}, undefined, []],
    ['requires_action', {}, undefined, []],
    ['processing', {}, undefined, [{ type: 'Authorization', state: 'Pending', amount: 2999 }]],
    [
      'requires_capture',
      { amount_capturable: 2999 },
      aCharge(),
      [{ type: 'Authorization', state: 'Success', amount: 2999 }],
    ],
    [
      'succeeded',
      { amount_received: 2999 },
      aCharge({ captured: true, amount_captured: 2999 }),
      [
        { type: 'Authorization', state: 'Success', amount: 2999 },
        { type: 'Charge', state: 'Success', amount: 2999, interactionId: 'ch_1', cumulative: true },
      ],
    ],
    ['canceled', {}, undefined, [{ type: 'Authorization', state: 'Failure', amount: 2999 }]],
    [
      'canceled',
      {},
      aCharge(),
      [
        { type: 'Authorization', state: 'Success', amount: 2999 },
        { type: 'CancelAuthorization', state: 'Success', amount: 2999, interactionId: releaseInteractionId('pi_1') },
      ],
    ],
  ] as const)('%s %j with charge %#', (status, extra, charge, expected) => {
    const result = desiredTransactions({
      paymentIntent: aPaymentIntent({ status, ...extra }),
      ...(charge ? { charge } : {}),
    });
    expect(result).toEqual(expected.map((tx) => ({ interactionId: 'pi_1', ...tx })));
  });
});

describe('desiredTransactions: amounts come from the right Stripe field (D08)', () => {
  it('a partial capture records the captured amount and releases only the remainder', () => {
    const result = desiredTransactions({
      paymentIntent: aPaymentIntent({ status: 'succeeded', amount_capturable: 0, amount_received: 1000 }),
      charge: aCharge({ captured: true, amount_captured: 1000 }),
    });
    expect(result).toEqual([
      { type: 'Authorization', state: 'Success', amount: 2999, interactionId: 'pi_1' },
      { type: 'Charge', state: 'Success', amount: 1000, interactionId: 'ch_1', cumulative: true },
      { type: 'CancelAuthorization', state: 'Success', amount: 1999, interactionId: 'pi_1:release' },
    ]);
  });

  it('the authorization amount is the charge amount, never amount_refunded', () => {
    const result = desiredTransactions({
      paymentIntent: aPaymentIntent({ status: 'succeeded', amount: 2999 }),
      charge: aCharge({ captured: true, amount: 2999, amount_captured: 2999, amount_refunded: 2999 }),
      refunds: [aRefund({ amount: 2999 })],
    });
    expect(result.find((t) => t.type === 'Authorization')?.amount).toBe(2999);
  });
});

describe('desiredTransactions: refunds and disputes', () => {
  it('records each refund as its own transaction with its own state (D06)', () => {
    const result = desiredTransactions({
      paymentIntent: aPaymentIntent({ status: 'succeeded' }),
      charge: aCharge({ captured: true, amount_captured: 2999, amount_refunded: 1500 }),
      refunds: [
        aRefund({ id: 're_a', amount: 1000 }),
        aRefund({ id: 're_b', amount: 500, status: 'pending' }),
        aRefund({ id: 're_c', amount: 700, status: 'failed' }),
      ],
    });
    expect(result.filter((t) => t.type === 'Refund')).toEqual([
      { type: 'Refund', state: 'Success', amount: 1000, interactionId: 're_a' },
      { type: 'Refund', state: 'Pending', amount: 500, interactionId: 're_b' },
      { type: 'Refund', state: 'Failure', amount: 700, interactionId: 're_c' },
    ]);
    expect(result.some((t) => t.type === 'Chargeback')).toBe(false);
  });

  it.each([
    ['needs_response', 'Pending'],
    ['under_review', 'Pending'],
    ['lost', 'Success'],
    ['won', 'Failure'],
  ] as const)('a %s dispute is a %s Chargeback', (status, state) => {
    const result = desiredTransactions({
      paymentIntent: aPaymentIntent({ status: 'succeeded' }),
      charge: aCharge({ captured: true, amount_captured: 2999 }),
      disputes: [aDispute({ status, amount: 2999 })],
    });
    expect(result.filter((t) => t.type === 'Chargeback')).toEqual([
      { type: 'Chargeback', state, amount: 2999, interactionId: 'dp_1' },
    ]);
  });

  it.each(['warning_needs_response', 'warning_under_review', 'warning_closed'] as const)(
    'an inquiry (%s) moves no money and records no Chargeback',
    (status) => {
      const result = desiredTransactions({
        paymentIntent: aPaymentIntent({ status: 'succeeded' }),
        charge: aCharge({ captured: true, amount_captured: 2999 }),
        disputes: [aDispute({ status, amount: 2999 })],
      });
      expect(result.filter((t) => t.type === 'Chargeback')).toEqual([]);
    },
  );
});
