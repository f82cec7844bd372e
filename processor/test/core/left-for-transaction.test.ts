import type { Cart, Payment } from '@commercetools/platform-sdk';
import { amountToPay, leftForTransaction } from '../../src/commercetools/cart-amount';
import { aPayment, aTransaction } from '../../testing/builders';

const money = (centAmount: number) => ({
  type: 'centPrecision' as const,
  centAmount,
  currencyCode: 'EUR',
  fractionDigits: 2,
});

function cartWith(payments: Payment[], total = 10_000): Cart {
  return {
    id: 'cart-1',
    version: 3,
    totalPrice: money(total),
    paymentInfo: { payments: payments.map((p) => ({ typeId: 'payment', id: p.id, obj: p })) },
  } as unknown as Cart;
}

const tx = (id: string, cents: number, transactions: Payment['transactions'] = []) =>
  aPayment({ id, key: `ct-tx-${id}`, amountPlanned: money(cents), transactions });

describe('what is left for a transaction of commercetools Checkout', () => {
  it('counts other transactions still in flight, which what is left to pay does not', () => {
    const cart = cartWith([tx('a', 6_000)]);
    expect(amountToPay(cart).centAmount).toBe(10_000);
    expect(leftForTransaction(cart).centAmount).toBe(4_000);
    // Its own payment never counts against itself.
    expect(leftForTransaction(cart, 'a').centAmount).toBe(10_000);
  });

  it('an approved transaction counts once; a failed or given back one not at all', () => {
    const approved = tx('ok', 3_000, [aTransaction({ type: 'Charge', state: 'Success', amount: money(3_000) })]);
    const failed = tx('no', 5_000, [aTransaction({ type: 'Charge', state: 'Failure', amount: money(5_000) })]);
    const refunded = tx('back', 2_000, [
      aTransaction({ type: 'Charge', state: 'Success', amount: money(2_000) }),
      aTransaction({ type: 'Refund', state: 'Success', amount: money(2_000) }),
    ]);
    expect(leftForTransaction(cartWith([approved, failed, refunded])).centAmount).toBe(7_000);
  });

  it("a browser payment without an outcome is not a transaction's: it does not count", () => {
    const browser = aPayment({ id: 'browser', key: 'cart-1-2', amountPlanned: money(9_000) });
    expect(leftForTransaction(cartWith([browser])).centAmount).toBe(10_000);
  });

  it('never below zero', () => {
    expect(leftForTransaction(cartWith([tx('a', 6_000), tx('b', 6_000)])).centAmount).toBe(0);
  });
});
