import type Stripe from 'stripe';
import { compareWithExpectation, expectedOrderState } from './expectation';
import type { CheckoutRecord, LogicalOp } from './ledger';
import { LogScan } from './logscan';
import { checkMovements } from './movements';
import type { CtPayment, PiFinal } from './observe';

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
