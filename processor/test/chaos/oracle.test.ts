import type Stripe from 'stripe';
import { compareWithExpectation, expectedOrderState } from './expectation';
import { Ledger, type CheckoutRecord, type LogicalOp, type TxCartRecord, type TxOp } from './ledger';
import { LogScan } from './logscan';
import { checkInvariants } from './invariants';
import { checkMovements } from './movements';
import type { CtOrder, CtPayment, FinalState, PiFinal } from './observe';
import { checkCharges, checkSavedCards } from './stored';

// The oracle's own pieces can fail: each check is shown a state it must refuse.

const pi = (over: Partial<Stripe.PaymentIntent> = {}) =>
  ({
    id: 'pi_1',
    status: 'succeeded',
    amount: 5000,
    amount_capturable: 0,
    currency: 'eur',
    capture_method: 'automatic',
    last_payment_error: null,
    cancellation_reason: null,
    metadata: { ct_payment_id: 'pay-1' },
    ...over,
  }) as Stripe.PaymentIntent;
const charge = (over: Partial<Stripe.Charge> = {}) =>
  ({ id: 'ch_1', status: 'succeeded', amount: 5000, amount_captured: 5000, ...over }) as Stripe.Charge;
const refund = (id: string, amount: number, status = 'succeeded') =>
  ({ id, amount, status, metadata: {} }) as unknown as Stripe.Refund;
const final = (over: Partial<PiFinal> = {}): PiFinal => ({
  pi: pi(),
  charge: charge(),
  charges: [charge()],
  refunds: [],
  disputes: [],
  captures: [{ id: 'txn_1', amount: 5000 }],
  ...over,
});
const tx = (type: string, state: string, centAmount: number) => ({
  type,
  state,
  amount: { centAmount, currencyCode: 'EUR', fractionDigits: 2 },
});
const payment = (...transactions: ReturnType<typeof tx>[]): CtPayment => ({
  id: 'pay-1',
  interfaceId: 'pi_1',
  amountPlanned: { centAmount: 5000, currencyCode: 'EUR', fractionDigits: 2 },
  transactions,
});
const checkout = (ops: Partial<LogicalOp>[] = []): CheckoutRecord => ({
  index: 0,
  flavor: 'auto',
  currency: 'EUR',
  cartId: 'cart-1',
  sessionId: 's',
  cartAmount: 5000,
  steps: [],
  payments: [],
  shopper: [
    {
      paymentIntentId: 'pi_1',
      paymentId: 'pay-1',
      card: 'pm_card_visa',
      amount: 5000,
      cartAmount: 5000,
      stripe: 'succeeded',
    },
  ],
  ops: ops.map((o, i) => ({
    id: i + 1,
    paymentId: 'pay-1',
    paymentIntentId: 'pi_1',
    body: {},
    requests: [],
    tags: [],
    action: 'refundPayment',
    ...o,
  })),
  dashboard: [],
  stripe: [],
  cartChanges: [],
  notes: [],
});
const approved = [{ replica: 'r0', status: 200, outcome: 'approved', ms: 1, at: 0 }];

it('logs: secrets and raw Stripe objects are found, ordinary lines are not', () => {
  const scan = new LogScan();
  scan.line('r', '{"msg":"payment created","paymentIntentId":"pi_123"}');
  scan.line('r', 'key sk_test_abcdef');
  scan.line('r', '{"secret":"whsec_abc"}');
  scan.line('r', 'cs pi_1_secret_xyz');
  scan.line('r', '{"body":{"object":"payment_intent"}}');
  expect(scan.findings.map((f) => f.leak)).toEqual([
    'Stripe secret key',
    'webhook signing secret',
    'client secret',
    'raw Stripe payload',
  ]);
});

it('expectation: commercetools must say what Stripe says', () => {
  const f = final({ refunds: [refund('re_1', 1000)] });
  const right = [tx('Authorization', 'Success', 5000), tx('Charge', 'Success', 5000), tx('Refund', 'Success', 1000)];
  expect(compareWithExpectation(payment(...right), f)).toEqual([]);
  expect(compareWithExpectation(payment(...right.slice(0, 2)), f)).toEqual(['missing Refund Success 1000 (×1)']);
  expect(compareWithExpectation(payment(...right, tx('Refund', 'Success', 1000)), f)).toEqual([
    'extra Refund Success 1000 (×1)',
  ]);
  // A refund that failed later is a Failure, never a Success.
  const failed = final({ refunds: [refund('re_1', 1000, 'failed')] });
  expect(compareWithExpectation(payment(...right), failed)).toContain('extra Refund Success 1000 (×1)');
});

it('expectation: captures seen together may be one Charge, never a wrong sum', () => {
  const f = final({
    pi: pi({ capture_method: 'manual', status: 'requires_capture', amount_capturable: 2000 }),
    charge: charge({ amount_captured: 3000 }),
    captures: [
      { id: 'txn_1', amount: 1000 },
      { id: 'txn_2', amount: 2000 },
    ],
  });
  const auth = tx('Authorization', 'Success', 5000);
  expect(compareWithExpectation(payment(auth, tx('Charge', 'Success', 3000)), f)).toEqual([]);
  expect(
    compareWithExpectation(payment(auth, tx('Charge', 'Success', 1000), tx('Charge', 'Success', 1000)), f),
  ).not.toEqual([]);
  expect(expectedOrderState(f)).toBe('Paid');
});

it('movements: a refund twice for one request, and an approval without a movement, are found', () => {
  const twice = final({ refunds: [refund('re_1', 1000), refund('re_2', 1000)] });
  const one = checkout([{ action: 'refundPayment', amount: 1000, requests: approved }]);
  expect(checkMovements(twice, one).map((x) => x.invariant)).toEqual(['a']);
  const none = checkout([{ action: 'refundPayment', amount: 700, requests: approved }]);
  expect(checkMovements(final(), none).map((x) => x.invariant)).toEqual(['h']);
  const rejected = checkout([
    {
      action: 'refundPayment',
      amount: 1000,
      requests: [{ replica: 'r0', status: 200, outcome: 'rejected', ms: 1, at: 0 }],
    },
  ]);
  expect(checkMovements(final({ refunds: [refund('re_1', 1000)] }), rejected).map((x) => x.invariant)).toEqual(['h']);
});

// Saved cards and off-session charges (stored.ts).

const CART = 'cart-9';
const offSession = (id: string, amount: number, over: Partial<Stripe.PaymentIntent> = {}) =>
  final({
    pi: pi({
      id,
      amount,
      customer: 'cus_1',
      payment_method: 'pm_1',
      metadata: { ct_cart_id: CART, ct_payment_id: `pay-${id}`, ct_customer_id: 'cust-1' },
      ...over,
    }),
    charge: charge({ id: `ch_${id}`, amount, amount_captured: amount }),
    charges: [charge({ id: `ch_${id}`, amount, amount_captured: amount })],
    captures: [{ id: `txn_${id}`, amount }],
  });
const state = (pis: PiFinal[], over: Partial<FinalState> = {}): FinalState => ({
  pis: new Map(pis.map((f) => [f.pi.id, f])),
  payments: new Map(),
  ordersByCart: new Map(),
  saved: { stripeCustomers: [], attached: new Map(), customers: new Map(), methods: [], jobs: [] },
  ...over,
});
const answered = (state: string, paymentReference?: string) => ({
  replica: 'r1',
  status: 201,
  state,
  ...(state === 'Failed' ? { reason: 'authentication_required: needs the shopper' } : {}),
  ...(paymentReference ? { paymentReference } : {}),
  sentAt: 0,
  at: 1,
});
function chargeLedger(ops: Partial<TxOp>[], cart: Partial<TxCartRecord> = {}): Ledger {
  const ledger = new Ledger();
  const record: TxCartRecord = {
    index: 0,
    customerId: 'cust-1',
    cartId: CART,
    currency: 'EUR',
    cartAmount: 5000,
    fractionDigits: 2,
    partial: false,
    methodId: 'method-1',
    token: 'pm_1',
    needsAuth: false,
    ops: [],
    notes: [],
    ...cart,
  };
  ledger.txCarts.push(record);
  for (const op of ops)
    ledger
      .txOp(record, {
        body: {
          cartId: CART,
          paymentInterface: 'stripe',
          checkoutTransactionItemId: 'item-1',
          paymentMethod: { id: 'method-1' },
        },
        tags: [],
        ...op,
      })
      .requests.push(...(op.requests ?? []));
  return ledger;
}
const findings = (s: FinalState, ledger: Ledger) => checkCharges(s, ledger).findings.map((x) => x.invariant);

it('off-session charges: one charge per request identity, answers that match Stripe', () => {
  const linked = (id: string) => ({
    id: `pay-${id}`,
    interfaceId: id,
    amountPlanned: { centAmount: 5000, currencyCode: 'EUR', fractionDigits: 2 },
    transactions: [],
  });
  const payments = new Map([['pay-pi_a', linked('pi_a')]]);
  const once = chargeLedger([
    { requests: [answered('Completed', 'pay-pi_a')] },
    { tags: ['repeat'], requests: [answered('Completed', 'pay-pi_a')] },
  ]);
  // Charged in full, and no order from the connector: Checkout orders the cart.
  expect(findings(state([offSession('pi_a', 5000)], { payments }), once)).toEqual([]);
  const order = {
    id: 'o1',
    paymentState: 'Paid',
    totalPrice: { centAmount: 5000, currencyCode: 'EUR', fractionDigits: 2 },
  } as CtOrder;
  const ordered = new Map([[CART, [order]]]);
  expect(findings(state([offSession('pi_a', 5000)], { payments, ordersByCart: ordered }), once)).toEqual(['d']);
  // The same keyless body twice is one charge: a second PaymentIntent is money without a cause.
  expect(findings(state([offSession('pi_a', 5000), offSession('pi_b', 5000)], { payments }), once)).toEqual(['a']);
  // Completed without a charge; Failed with one.
  expect(findings(state([], { payments }), once)).toEqual(['h']);
  const failed = chargeLedger([{ requests: [answered('Failed', 'pay-pi_a')] }]);
  expect(findings(state([offSession('pi_a', 5000)], { payments, ordersByCart: ordered }), failed)).toContain('h');
  // A card that needs authentication: the failure is a Failure transaction of the payment.
  const needsAuth = chargeLedger([{ requests: [answered('Failed', 'pay-pi_a')] }], { needsAuth: true });
  expect(findings(state([], { payments }), needsAuth)).toEqual(['c']);
  // Parts of a cart: no order, and another body under a used key is refused, never charged.
  const parts = chargeLedger(
    [
      {
        key: 'k1',
        body: {
          cartId: CART,
          paymentInterface: 'stripe',
          checkoutTransactionItemId: 'i1',
          paymentMethod: { id: 'method-1' },
          amount: { centAmount: 1000, currencyCode: 'EUR' },
        },
        requests: [answered('Completed', 'pay-pi_a')],
      },
      {
        key: 'k1',
        tags: ['key-other-body'],
        body: {
          cartId: CART,
          paymentInterface: 'stripe',
          checkoutTransactionItemId: 'i1',
          paymentMethod: { id: 'method-1' },
          amount: { centAmount: 500, currencyCode: 'EUR' },
        },
        requests: [{ replica: 'r1', status: 400, sentAt: 0, at: 1 }],
      },
    ],
    { partial: true },
  );
  expect(findings(state([offSession('pi_a', 1000)], { payments }), parts)).toEqual([]);
  expect(findings(state([offSession('pi_a', 1000), offSession('pi_b', 500)], { payments }), parts)).toEqual(['h']);
  expect(findings(state([offSession('pi_a', 1000)], { payments, ordersByCart: ordered }), parts)).toEqual(['d']);
});

it('saved cards: one linked Stripe customer, one payment method per attached card, none for a detached one', () => {
  const ledger = new Ledger();
  ledger.customers.push({ id: 'cust-1', email: 'x@example.com', fresh: false });
  const cus = (id: string) =>
    ({ id, metadata: { ct_customer_id: 'cust-1', ct_project_key: 'sandbox' } }) as unknown as Stripe.Customer;
  const linkedCustomer = {
    id: 'cust-1',
    custom: { type: { id: 't', obj: { key: 'stripe-connector-customer' } }, fields: { stripeCustomerId: 'cus_1' } },
  };
  const method = (id: string, token: string) => ({
    id,
    key: `stripe-${token}`,
    customer: { id: 'cust-1' },
    paymentInterface: 'stripe',
    token: { value: token },
    paymentMethodStatus: 'Active',
  });
  const saving = offSession('pi_a', 5000, { setup_future_usage: 'off_session' });
  // The payments of the off-session PaymentIntents, linked to them.
  const linkedPayment = (id: string): [string, CtPayment] => [
    `pay-${id}`,
    { ...payment(tx('Charge', 'Success', 5000)), id: `pay-${id}`, interfaceId: id },
  ];
  const payments = new Map([linkedPayment('pi_a'), linkedPayment('pi_b')]);
  const saved = (over: Partial<FinalState['saved']>) =>
    state([saving], {
      payments,
      saved: {
        stripeCustomers: [cus('cus_1')],
        attached: new Map([['cus_1', [{ id: 'pm_1' } as Stripe.PaymentMethod]]]),
        customers: new Map([['cust-1', linkedCustomer]]),
        methods: [method('m1', 'pm_1')],
        jobs: [],
        ...over,
      },
    });
  const reasons = (s: FinalState, l = ledger) => checkSavedCards(s, l).map((x) => x.invariant);
  expect(reasons(saved({}))).toEqual([]);
  expect(reasons(saved({ stripeCustomers: [cus('cus_1'), cus('cus_2')] }))).toEqual(['i']);
  expect(reasons(saved({ customers: new Map([['cust-1', { id: 'cust-1' }]]) }))).toEqual(['i']);
  // Saved at Stripe and not in commercetools; in commercetools twice; in commercetools and detached.
  expect(reasons(saved({ methods: [] }))).toEqual(['i']);
  expect(reasons(saved({ methods: [method('m1', 'pm_1'), method('m2', 'pm_1')] }))).toEqual(['i']);
  expect(reasons(saved({ methods: [method('m1', 'pm_1'), method('m3', 'pm_9')] }))).toEqual(['i']);
  // Recurring payment jobs: one per paying payment, naming the method of the card it paid with.
  const job = (id: string, origin: string, methodId = 'm1') => ({
    id,
    originPayment: { id: origin },
    paymentMethod: { id: methodId },
  });
  expect(reasons(saved({ jobs: [job('j1', 'pay-pi_a')] }))).toEqual([]);
  expect(reasons(saved({ jobs: [job('j1', 'pay-pi_a'), job('j2', 'pay-pi_a')] }))).toEqual(['i']);
  const twoCarts = (jobs: ReturnType<typeof job>[]) =>
    state([saving, offSession('pi_b', 5000, { setup_future_usage: 'off_session' })], {
      payments,
      saved: {
        stripeCustomers: [cus('cus_1')],
        attached: new Map([
          ['cus_1', [{ id: 'pm_1' } as Stripe.PaymentMethod, { id: 'pm_2' } as Stripe.PaymentMethod]],
        ]),
        customers: new Map([['cust-1', linkedCustomer]]),
        methods: [method('m1', 'pm_1'), method('m2', 'pm_2')],
        jobs,
      },
    });
  // The same card for two recurring carts: a job each.
  expect(reasons(twoCarts([job('j1', 'pay-pi_a'), job('j2', 'pay-pi_b')]))).toEqual([]);
  // A job naming another card than its payment paid with.
  expect(reasons(twoCarts([job('j1', 'pay-pi_a', 'm2')]))).toEqual(['i']);
  // A deletion answered 204 leaves neither the method nor the attachment.
  ledger.deletions.push({
    customerId: 'cust-1',
    methodId: 'm1',
    token: 'pm_1',
    tags: ['once'],
    requests: [{ replica: 'r0', status: 204, sentAt: 0, at: 1 }],
  });
  expect(reasons(saved({}))).toEqual(['i', 'i']);
  expect(reasons(saved({ attached: new Map(), methods: [] }))).toEqual([]);
});

it('linkage: a PaymentIntent may name its payment by key; a payment linked to a PaymentIntent that names another is found', () => {
  const keyed = (id: string, key: string) => final({ pi: pi({ id, metadata: { ct_payment_key: key } }) });
  const linked = (id: string, key: string, interfaceId: string): CtPayment => ({
    ...payment(tx('Charge', 'Success', 5000)),
    id,
    key,
    interfaceId,
  });
  const linkage = (pis: PiFinal[], payments: CtPayment[]) =>
    checkInvariants(state(pis, { payments: new Map(payments.map((p) => [p.id, p])) }), new Ledger(), new LogScan())
      .filter((v) => v.invariant === 'e')
      .map((v) => `${v.subject}: ${v.reason}`);

  expect(linkage([keyed('pi_a', 'cart-a-3')], [linked('pay-a', 'cart-a-3', 'pi_a')])).toEqual([]);
  // The PaymentIntent names pay-b by its key, but pay-b is linked to another one.
  expect(
    linkage([keyed('pi_b', 'cart-b-3'), keyed('pi_c', 'cart-c-3')], [linked('pay-b', 'cart-b-3', 'pi_c')]),
  ).toEqual([
    'payment pay-b: pi_b names it, but it is linked to pi_c',
    'payment pay-b: linked to pi_c, which names payment key=cart-c-3',
  ]);
});
