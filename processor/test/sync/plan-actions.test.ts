import type { TxState, TxType } from '../../src/sync/desired-transactions';
import { canMove, planPaymentActions } from '../../src/sync/plan-actions';
import { aPayment, aTransaction } from '../../testing/builders';

const now = () => '2026-11-23T00:00:00.000Z';
const facts = { interfaceId: 'pi_1' };

describe('planPaymentActions', () => {
  it('adds missing transactions and links the initial authorization to the PaymentIntent', () => {
    const initial = aTransaction({ id: 'tx-auth', type: 'Authorization', state: 'Initial' });
    const actions = planPaymentActions(
      aPayment({ transactions: [initial] }),
      [
        { type: 'Authorization', state: 'Success', centAmount: 2999, interactionId: 'pi_1' },
        { type: 'Charge', state: 'Success', centAmount: 2999, interactionId: 'ch_1' },
      ],
      { ...facts, statusCode: 'succeeded', method: 'card' },
      now,
    );
    expect(actions).toEqual([
      { action: 'setInterfaceId', interfaceId: 'pi_1' },
      { action: 'setStatusInterfaceCode', interfaceCode: 'succeeded' },
      { action: 'setMethodInfoMethod', method: 'card' },
      { action: 'changeTransactionInteractionId', transactionId: 'tx-auth', interactionId: 'pi_1' },
      { action: 'changeTransactionState', transactionId: 'tx-auth', state: 'Success' },
      {
        action: 'addTransaction',
        transaction: {
          type: 'Charge',
          state: 'Success',
          amount: { centAmount: 2999, currencyCode: 'EUR' },
          interactionId: 'ch_1',
          timestamp: now(),
        },
      },
    ]);
  });

  it("refuses to plan for a PaymentIntent other than the one the payment is linked to (another's transactions, or a relink, would be written)", () => {
    expect(() =>
      planPaymentActions(
        aPayment({ interfaceId: 'pi_2' }),
        [{ type: 'Charge', state: 'Success', centAmount: 2999, interactionId: 'ch_1' }],
        { ...facts, statusCode: 'succeeded' },
        now,
      ),
    ).toThrow(/pi_2/);
  });

  it('is empty when commercetools already matches (duplicate events are no-ops)', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [
        aTransaction({ type: 'Authorization', state: 'Success', interactionId: 'pi_1' }),
        aTransaction({
          type: 'Refund',
          state: 'Success',
          interactionId: 're_1',
          amount: { type: 'centPrecision', centAmount: 500, currencyCode: 'EUR', fractionDigits: 2 },
        }),
      ],
    });
    expect(
      planPaymentActions(
        payment,
        [
          { type: 'Authorization', state: 'Success', centAmount: 2999, interactionId: 'pi_1' },
          { type: 'Refund', state: 'Success', centAmount: 500, interactionId: 're_1' },
        ],
        facts,
      ),
    ).toEqual([]);
  });

  it('never makes a move commercetools refuses, and lets a failure become a success', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [
        aTransaction({ id: 'a', type: 'Authorization', state: 'Failure', interactionId: 'pi_1' }),
        aTransaction({ id: 'r', type: 'Refund', state: 'Success', interactionId: 're_1' }),
      ],
    });
    const actions = planPaymentActions(
      payment,
      [
        { type: 'Authorization', state: 'Success', centAmount: 2999, interactionId: 'pi_1' },
        { type: 'Refund', state: 'Pending', centAmount: 2999, interactionId: 're_1' },
      ],
      facts,
    );
    expect(actions).toEqual([{ action: 'changeTransactionState', transactionId: 'a', state: 'Success' }]);
  });

  it('keeps refunds with different interaction ids apart (D06)', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [
        aTransaction({
          type: 'Refund',
          state: 'Success',
          interactionId: 're_1',
          amount: { type: 'centPrecision', centAmount: 1000, currencyCode: 'EUR', fractionDigits: 2 },
        }),
      ],
    });
    const actions = planPaymentActions(
      payment,
      [
        { type: 'Refund', state: 'Success', centAmount: 1000, interactionId: 're_1' },
        { type: 'Refund', state: 'Success', centAmount: 1000, interactionId: 're_2' },
      ],
      facts,
      now,
    );
    expect(actions).toEqual([
      {
        action: 'addTransaction',
        transaction: {
          type: 'Refund',
          state: 'Success',
          amount: { centAmount: 1000, currencyCode: 'EUR' },
          interactionId: 're_2',
          timestamp: now(),
        },
      },
    ]);
  });
});

describe('captures: Stripe tells the captured total, commercetools gets one transaction per capture', () => {
  const charge = (total: number) => ({
    type: 'Charge' as const,
    state: 'Success' as const,
    centAmount: total,
    interactionId: 'ch_1',
    cumulative: true as const,
  });

  it('the first capture is recorded under the charge id', () => {
    expect(planPaymentActions(aPayment({ interfaceId: 'pi_1' }), [charge(1000)], facts, now)).toEqual([
      {
        action: 'addTransaction',
        transaction: {
          type: 'Charge',
          state: 'Success',
          amount: { centAmount: 1000, currencyCode: 'EUR' },
          interactionId: 'ch_1',
          timestamp: now(),
        },
      },
    ]);
  });

  it('a further capture (multicapture) adds only the difference, under its own interaction id', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [
        aTransaction({
          type: 'Charge',
          state: 'Success',
          interactionId: 'ch_1',
          amount: { type: 'centPrecision', centAmount: 1000, currencyCode: 'EUR', fractionDigits: 2 },
        }),
      ],
    });
    expect(planPaymentActions(payment, [charge(1500)], facts, now)).toEqual([
      {
        action: 'addTransaction',
        transaction: {
          type: 'Charge',
          state: 'Success',
          amount: { centAmount: 500, currencyCode: 'EUR' },
          interactionId: 'ch_1:1500',
          timestamp: now(),
        },
      },
    ]);
  });

  it('nothing when the total is already recorded (duplicates, late events)', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [
        aTransaction({
          type: 'Charge',
          state: 'Success',
          interactionId: 'ch_1',
          amount: { type: 'centPrecision', centAmount: 1000, currencyCode: 'EUR', fractionDigits: 2 },
        }),
        aTransaction({
          type: 'Charge',
          state: 'Success',
          interactionId: 'ch_1:1500',
          amount: { type: 'centPrecision', centAmount: 500, currencyCode: 'EUR', fractionDigits: 2 },
        }),
      ],
    });
    expect(planPaymentActions(payment, [charge(1500)], facts, now)).toEqual([]);
    expect(planPaymentActions(payment, [charge(1000)], facts, now)).toEqual([]);
  });
});

describe('transactions only move forward, in the order Stripe moves (no stale write undoes a newer one)', () => {
  const states: TxState[] = ['Initial', 'Pending', 'Success', 'Failure'];
  const allowed: Record<TxType, string[]> = {
    Authorization: [
      'Initial>Pending',
      'Initial>Success',
      'Initial>Failure',
      'Pending>Success',
      'Pending>Failure',
      'Failure>Success',
    ],
    Charge: ['Initial>Pending', 'Initial>Success', 'Initial>Failure', 'Pending>Success', 'Pending>Failure'],
    CancelAuthorization: [
      'Initial>Pending',
      'Initial>Success',
      'Initial>Failure',
      'Pending>Success',
      'Pending>Failure',
    ],
    Refund: [
      'Initial>Pending',
      'Initial>Success',
      'Initial>Failure',
      'Pending>Success',
      'Pending>Failure',
      'Success>Failure',
    ],
    Chargeback: ['Initial>Pending', 'Initial>Success', 'Initial>Failure', 'Pending>Success', 'Pending>Failure'],
  };
  it.each(Object.keys(allowed) as TxType[])('%s: exactly the allowed moves', (type) => {
    const moves = states.flatMap((from) =>
      states.filter((to) => to !== from && canMove(type, from, to)).map((to) => `${from}>${to}`),
    );
    expect(moves.sort()).toEqual([...allowed[type]].sort());
  });

  it('a late decline never turns a successful authorization back; a late success never revives a failed refund', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [
        aTransaction({ id: 'a', type: 'Authorization', state: 'Success', interactionId: 'pi_1' }),
        aTransaction({ id: 'r', type: 'Refund', state: 'Failure', interactionId: 're_1' }),
      ],
    });
    expect(
      planPaymentActions(
        payment,
        [
          { type: 'Authorization', state: 'Failure', centAmount: 2999, interactionId: 'pi_1' },
          { type: 'Refund', state: 'Success', centAmount: 2999, interactionId: 're_1' },
        ],
        facts,
      ),
    ).toEqual([]);
  });

  it('the status shown never goes back from succeeded or canceled', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      paymentStatus: { interfaceCode: 'succeeded' },
      transactions: [aTransaction({ id: 'a', type: 'Authorization', state: 'Success', interactionId: 'pi_1' })],
    });
    expect(
      planPaymentActions(
        payment,
        [{ type: 'Authorization', state: 'Success', centAmount: 2999, interactionId: 'pi_1' }],
        { ...facts, statusCode: 'requires_payment_method' },
      ),
    ).toEqual([]);
  });

  it('an attempt at another amount is another transaction: the failed one keeps its amount and state', () => {
    const payment = aPayment({
      interfaceId: 'pi_1',
      transactions: [aTransaction({ id: 'a', type: 'Authorization', state: 'Failure', interactionId: 'pi_1' })],
    });
    const actions = planPaymentActions(
      payment,
      [{ type: 'Authorization', state: 'Success', centAmount: 5499, interactionId: 'pi_1' }],
      facts,
      now,
    );
    expect(actions).toEqual([
      {
        action: 'addTransaction',
        transaction: {
          type: 'Authorization',
          state: 'Success',
          amount: { centAmount: 5499, currencyCode: 'EUR' },
          interactionId: 'pi_1',
          timestamp: now(),
        },
      },
    ]);
  });
});

describe('a capture whose own amount is known is recorded on its own', () => {
  const recorded = aPayment({
    interfaceId: 'pi_1',
    transactions: [
      aTransaction({
        type: 'Charge',
        state: 'Success',
        interactionId: 'ch_1',
        amount: { type: 'centPrecision', centAmount: 1000, currencyCode: 'EUR', fractionDigits: 2 },
      }),
    ],
  });
  const added = (known?: { amount: number; total: number }) =>
    planPaymentActions(
      recorded,
      [
        {
          type: 'Charge',
          state: 'Success',
          centAmount: 2000,
          interactionId: 'ch_1',
          cumulative: true,
          ...(known ? { known } : {}),
        },
      ],
      facts,
      now,
    ).map((a) => (a.action === 'addTransaction' ? [a.transaction.amount.centAmount, a.transaction.interactionId] : a));

  it('a dashboard capture of 500 then ours of 500: two transactions', () => {
    expect(added({ amount: 500, total: 2000 })).toEqual([
      [500, 'ch_1:1500'],
      [500, 'ch_1:2000'],
    ]);
  });
  it('ours first, then one made elsewhere: two transactions', () => {
    expect(added({ amount: 700, total: 1700 })).toEqual([
      [700, 'ch_1:1700'],
      [300, 'ch_1:2000'],
    ]);
  });
  it('without knowledge, one transaction for the difference', () => {
    expect(added()).toEqual([[1000, 'ch_1:2000']]);
  });
  it('knowledge that does not fit what is missing is ignored', () => {
    expect(added({ amount: 500, total: 1200 })).toEqual([[1000, 'ch_1:2000']]);
  });
});
