import { commonCases, idCases, jsonBodyCases } from './cases';
import { badInputSuite, byName, refused, request, tolerated, type Case, type Route } from './suite';

/** Bad input on the checkout routes the browser calls with a session. */
const specific: Case[] = [
  ...idCases(byName('GET /config-element/:paymentComponent')),
  ...['Payment', 'card;drop', 'a'.repeat(41), 'not_a_type', 'card%00', 'car%C3%A9'].map((id) => ({
    route: byName('GET /config-element/:paymentComponent'),
    name: `component ${id.slice(0, 20)}`,
    request: () => ({ ...request(byName('GET /config-element/:paymentComponent')), path: `/config-element/${id}` }),
    expect: refused(),
  })),
  ...jsonBodyCases(byName('POST /payments'), [
    ['paymentComponent a number', { paymentComponent: 42 }],
    ['paymentComponent null', { paymentComponent: null }],
    ['paymentComponent empty', { paymentComponent: '' }],
    ['paymentComponent an array', { paymentComponent: ['card'] }],
    ['paymentComponent an object', { paymentComponent: {} }],
    ['paymentComponent a boolean', { paymentComponent: true }],
    ['paymentComponent upper case', { paymentComponent: 'Card' }],
    ['paymentComponent too long', { paymentComponent: 'a'.repeat(41) }],
    ['paymentComponent with a traversal', { paymentComponent: '../card' }],
    ['paymentComponent with unicode', { paymentComponent: 'c\u00e4rd' }],
    ['paymentComponent with a NUL', { paymentComponent: 'card\u0000' }],
    ['paymentComponent unknown', { paymentComponent: 'not_a_type' }, refused()],
    ['paymentComponent Express', { paymentComponent: 'Express' }],
    ['paymentComponent express with a space', { paymentComponent: 'express ' }],
    ['an extra amount', { amount: 1 }],
    ['an extra negative amount', { amount: -1 }],
    ['an extra huge amount', { amount: 1e308 }],
    ['an extra cartId', { cartId: 'someone-elses-cart' }],
    ['an extra field next to a good one', { paymentComponent: 'payment', currency: 'usd' }],
  ]),
  ...idCases(byName('POST /confirmPayments/:paymentReference')),
  {
    route: byName('POST /confirmPayments/:paymentReference'),
    name: 'parameter: unknown payment',
    request: () => ({
      ...request(byName('POST /confirmPayments/:paymentReference')),
      path: '/confirmPayments/00000000-0000-0000-0000-000000000000',
    }),
    expect: refused(404),
  },
  ...jsonBodyCases(byName('POST /confirmPayments/:paymentReference'), [
    ['paymentIntent a number', { paymentIntent: 42 }],
    ['paymentIntent null', { paymentIntent: null }],
    ['paymentIntent empty', { paymentIntent: '' }],
    ['paymentIntent an object', { paymentIntent: { id: 'pi_1' } }],
    ['paymentIntent not a PaymentIntent id', { paymentIntent: 'ch_123' }],
    ['paymentIntent too long', { paymentIntent: `pi_${'a'.repeat(300)}` }],
    ['paymentIntent with a traversal', { paymentIntent: 'pi_../../x' }],
    ['paymentIntent with a NUL', { paymentIntent: 'pi_1\u0000' }],
    // The documented answer: `{outcome: 'rejected', errorCode: 'payment_mismatch'}`, nothing recorded.
    ['paymentIntent of another payment', { paymentIntent: 'pi_doesnotexist123' }, tolerated],
    ['an extra field', { paymentIntent: undefined, amount: 1 }],
    ['an extra outcome', { outcome: 'approved' }],
  ]),
];

badInputSuite(
  [
    'GET /operations/config',
    'GET /config-element/:paymentComponent',
    'GET /express-config',
    'POST /payments',
    'POST /confirmPayments/:paymentReference',
  ],
  (route: Route) => [...commonCases(route), ...specific.filter((c) => c.route === route)],
);
