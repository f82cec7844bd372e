import { planPaymentActions } from '../../src/sync/plan-actions';
import { aPayment, aTransaction } from '../support/builders';

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
