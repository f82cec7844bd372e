import { describePaymentName, namedPayment, namesPayment } from '../../src/core/metadata';

const payment = { id: 'pay-1', key: 'cart-1-7' };

it.each([
  [{ ct_payment_id: 'pay-1' }, { id: 'pay-1' }, true],
  [{ ct_payment_id: 'pay-2' }, { id: 'pay-2' }, false],
  [{ ct_payment_key: 'cart-1-7' }, { key: 'cart-1-7' }, true],
  [{ ct_payment_key: 'cart-1-8' }, { key: 'cart-1-8' }, false],
  // The id wins: a key beside another id does not make the PaymentIntent this payment's.
  [{ ct_payment_id: 'pay-2', ct_payment_key: 'cart-1-7' }, { id: 'pay-2' }, false],
  [{ ct_payment_key: '' }, undefined, false],
  [{}, undefined, false],
  [null, undefined, false],
])('metadata %j names %j (this payment: %s)', (metadata, named, mine) => {
  expect(namedPayment(metadata)).toEqual(named);
  expect(namesPayment(metadata, payment)).toBe(mine);
});

it('a payment without a key is never named by a key', () => {
  expect(namesPayment({ ct_payment_key: 'cart-1-7' }, { id: 'pay-1' })).toBe(false);
});

it('names for logs and reports', () => {
  expect(describePaymentName({ id: 'pay-1' })).toBe('pay-1');
  expect(describePaymentName({ key: 'cart-1-7' })).toBe('key=cart-1-7');
});
