import { commonCases, idCases, jsonBodyCases } from './cases';
import { badInputSuite, byName, refused, request, tolerated, type Case, type Route } from './suite';

/** Bad input on the routes commercetools Checkout and the Merchant Center call. */
const money = (centAmount: unknown, currencyCode: unknown = 'EUR') => ({ centAmount, currencyCode });
const capture = (amount: unknown, extra: Record<string, unknown> = {}) => ({
  actions: [{ action: 'capturePayment', amount, ...extra }],
});

/** A well-formed transaction body with some fields replaced (undefined: left out). */
const transaction = (changes: Record<string, unknown>) => {
  const body: Record<string, unknown> = {
    cartId: '00000000-0000-4000-8000-0000000000aa',
    paymentInterface: 'stripe',
    checkoutTransactionItemId: '00000000-0000-4000-8000-000000000001',
    paymentMethod: { id: '00000000-0000-4000-8000-000000000002' },
    ...changes,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
};

const specific: Case[] = [
  ...idCases(byName('POST /operations/payment-intents/:paymentId')),
  {
    route: byName('POST /operations/payment-intents/:paymentId'),
    name: 'parameter: unknown payment',
    request: () => ({
      ...request(byName('POST /operations/payment-intents/:paymentId')),
      path: '/operations/payment-intents/00000000-0000-0000-0000-000000000000',
    }),
    expect: refused(404),
  },
  ...jsonBodyCases(byName('POST /operations/payment-intents/:paymentId'), [
    ['no actions', {}],
    ['actions empty', { actions: [] }],
    ['actions an object', { actions: { action: 'cancelPayment' } }],
    ['actions a string', { actions: 'cancelPayment' }],
    ['an empty action', { actions: [{}] }],
    ['two actions', { actions: [{ action: 'cancelPayment' }, { action: 'cancelPayment' }] }],
    ['an unknown action', { actions: [{ action: 'deletePayment' }] }],
    ['action a number', { actions: [{ action: 42 }] }],
    ['capture without amount', { actions: [{ action: 'capturePayment' }] }],
    ['refund without amount', { actions: [{ action: 'refundPayment' }] }],
    ['amount without currency', capture({ centAmount: 100 })],
    ['amount without centAmount', capture({ currencyCode: 'EUR' })],
    ['amount a number', capture(100)],
    ['centAmount negative', capture(money(-1))],
    ['centAmount fractional', capture(money(1.5))],
    ['centAmount over MAX_SAFE_INTEGER', capture(money(2 ** 60))],
    [
      'centAmount 1e400 (Infinity)',
      '{"actions":[{"action":"capturePayment","amount":{"centAmount":1e400,"currencyCode":"EUR"}}]}',
    ],
    ['centAmount a numeric string', capture(money('100'))],
    ['centAmount "NaN"', capture(money('NaN'))],
    ['centAmount "Infinity"', capture(money('Infinity'))],
    ['centAmount null', capture(money(null))],
    ['centAmount an array', capture(money([1]))],
    ['currencyCode lower case', capture(money(1, 'eur'))],
    ['currencyCode too long', capture(money(1, 'EURO'))],
    ['currencyCode a number', capture(money(1, 978))],
    ['currencyCode unknown', capture(money(1, 'XXX')), tolerated],
    ['currencyCode of another currency', capture(money(1, 'USD')), tolerated],
    ['capture more than authorized', capture(money(Number.MAX_SAFE_INTEGER)), tolerated],
    ['refund of an unpaid payment', { actions: [{ action: 'refundPayment', amount: money(1) }] }, tolerated],
    [
      'refund with a foreign transactionId',
      { actions: [{ action: 'refundPayment', amount: money(1), transactionId: 'nope' }] },
      tolerated,
    ],
    ['a zero capture', capture(money(0)), tolerated],
    ['an extra field in the action', capture(money(1), { force: true })],
    ['an extra field in the amount', capture({ ...money(1), fractionDigits: 2 })],
    ['an extra top-level field', { ...capture(money(1)), dryRun: false }],
    ['merchantReference too long', capture(money(1), { merchantReference: 'r'.repeat(300) })],
    ['merchantReference a number', capture(money(1), { merchantReference: 42 })],
    [
      'transactionId too long',
      { actions: [{ action: 'refundPayment', amount: money(1), transactionId: 't'.repeat(65) }] },
    ],
    ['cancel with an amount', { actions: [{ action: 'cancelPayment', amount: money(1) }] }],
  ]),
  ...jsonBodyCases(byName('POST /operations/transactions'), [
    ['an empty body', {}],
    ['no cartId', transaction({ cartId: undefined })],
    ['no paymentInterface', transaction({ paymentInterface: undefined })],
    ['no checkoutTransactionItemId', transaction({ checkoutTransactionItemId: undefined })],
    ['cartId a number', transaction({ cartId: 42 })],
    ['cartId with a slash', transaction({ cartId: '../carts' })],
    ['cartId too long', transaction({ cartId: 'a'.repeat(65) })],
    ['paymentInterface empty', transaction({ paymentInterface: '' })],
    ['paymentInterface too long', transaction({ paymentInterface: 'p'.repeat(300) })],
    ['checkoutTransactionItemId with a quote', transaction({ checkoutTransactionItemId: "x' OR 1=1" })],
    ['paymentMethod a string', transaction({ paymentMethod: 'pm_card_visa' })],
    ['paymentMethod without id', transaction({ paymentMethod: {} })],
    ['paymentMethod with a token', transaction({ paymentMethod: { id: 'a', token: 'pm_card_visa' } })],
    ['paymentMethod.id a Stripe id', transaction({ paymentMethod: { id: 'pm_card_visa' } })],
    ['amount a number', transaction({ amount: 100 })],
    ['amount negative', transaction({ amount: money(-1) })],
    ['amount fractional', transaction({ amount: money(1.5) })],
    ['amount over MAX_SAFE_INTEGER', transaction({ amount: money(2 ** 60) })],
    ['amount a numeric string', transaction({ amount: money('100') })],
    ['amount lower-case currency', transaction({ amount: money(1, 'eur') })],
    ['amount with fractionDigits', transaction({ amount: { ...money(1), fractionDigits: 2 } })],
    ['amount more than the cart', transaction({ amount: money(Number.MAX_SAFE_INTEGER) })],
    ['a zero amount', transaction({ amount: money(0) })],
    ['an unknown type', transaction({ type: 'Subscription' })],
    ['futureOrderNumber empty', transaction({ futureOrderNumber: '' })],
    ['futureOrderNumber too long', transaction({ futureOrderNumber: 'o'.repeat(300) })],
    ['an extra top-level field', transaction({ customerId: 'someone' })],
  ]),
  {
    route: byName('POST /operations/transactions'),
    name: 'header: an Idempotency-Key with spaces',
    request: () => {
      const good = request(byName('POST /operations/transactions'));
      return { ...good, headers: [...(good.headers ?? []), ['idempotency-key', 'a b']] };
    },
    expect: refused(400),
  },
  {
    route: byName('POST /operations/transactions'),
    name: 'header: an Idempotency-Key too long',
    request: () => {
      const good = request(byName('POST /operations/transactions'));
      return { ...good, headers: [...(good.headers ?? []), ['idempotency-key', 'k'.repeat(300)]] };
    },
    expect: refused(400),
  },
];

badInputSuite(
  [
    'GET /operations/status',
    'GET /operations/payment-components',
    'POST /operations/payment-intents/:paymentId',
    'POST /operations/transactions',
  ],
  (route: Route) => [...commonCases(route), ...specific.filter((c) => c.route === route)],
);
