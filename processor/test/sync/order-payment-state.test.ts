import type { Transaction } from '@commercetools/platform-sdk';
import { orderPaymentState } from '../../src/sync/orders';
import { aPayment, aTransaction } from '../../testing/builders';

const tx = (type: Transaction['type'], state: Transaction['state'], centAmount = 2999) =>
  aTransaction({ type, state, amount: { type: 'centPrecision', centAmount, currencyCode: 'EUR', fractionDigits: 2 } });

describe("the order's payment state follows the payment (docs/payment-model.md)", () => {
  it.each([
    ['nothing yet', [], 'Pending'],
    ['a failed attempt', [tx('Authorization', 'Failure')], 'Failed'],
    ['processing', [tx('Authorization', 'Pending')], 'Pending'],
    ['authorized', [tx('Authorization', 'Success')], 'Pending'],
    ['authorized, released', [tx('Authorization', 'Success'), tx('CancelAuthorization', 'Success')], 'Failed'],
    ['captured', [tx('Authorization', 'Success'), tx('Charge', 'Success')], 'Paid'],
    [
      'partly refunded',
      [tx('Authorization', 'Success'), tx('Charge', 'Success'), tx('Refund', 'Success', 1000)],
      'Paid',
    ],
    [
      'a failed refund does not count',
      [tx('Authorization', 'Success'), tx('Charge', 'Success'), tx('Refund', 'Failure')],
      'Paid',
    ],
    ['refunded in full', [tx('Authorization', 'Success'), tx('Charge', 'Success'), tx('Refund', 'Success')], 'Failed'],
    [
      'refunded in full, partly pending',
      [
        tx('Authorization', 'Success'),
        tx('Charge', 'Success'),
        tx('Refund', 'Success', 1000),
        tx('Refund', 'Pending', 1999),
      ],
      'CreditOwed',
    ],
    [
      'a chargeback open',
      [tx('Authorization', 'Success'), tx('Charge', 'Success'), tx('Chargeback', 'Pending')],
      'Paid',
    ],
    [
      'a chargeback won',
      [tx('Authorization', 'Success'), tx('Charge', 'Success'), tx('Chargeback', 'Failure')],
      'Paid',
    ],
    [
      'a chargeback lost',
      [tx('Authorization', 'Success'), tx('Charge', 'Success'), tx('Chargeback', 'Success')],
      'BalanceDue',
    ],
  ] as const)('%s → %s', (_name, transactions, expected) => {
    expect(orderPaymentState(aPayment({ transactions: [...transactions] }))).toBe(expected);
  });
});
