import { commonCases, idCases, jsonBodyCases } from './cases';
import { badInputSuite, byName, refused, request, tolerated, type Case, type Route } from './suite';

/** Bad input on the routes commercetools Checkout and the Merchant Center call. */
const money = (centAmount: unknown, currencyCode: unknown = 'EUR') => ({ centAmount, currencyCode });
const capture = (amount: unknown, extra: Record<string, unknown> = {}) => ({
  actions: [{ action: 'capturePayment', amount, ...extra }],
});

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
];

badInputSuite(
  ['GET /operations/status', 'GET /operations/payment-components', 'POST /operations/payment-intents/:paymentId'],
  (route: Route) => [...commonCases(route), ...specific.filter((c) => c.route === route)],
);
