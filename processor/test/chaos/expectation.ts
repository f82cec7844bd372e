import type { CtPayment, PiFinal } from './observe';

/**
 * The run's own reading of docs/payment-model.md: what commercetools must record for a
 * PaymentIntent in a given Stripe state, and the order's payment state. Written from the
 * document, not from the connector's code.
 */
export interface ExpectedTx {
  type: 'Authorization' | 'Charge' | 'CancelAuthorization' | 'Refund' | 'Chargeback';
  state: 'Pending' | 'Success' | 'Failure';
  /** In the commercetools payment's money (centAmount with its fraction digits). */
  amount: number;
}

/** Stripe's minor unit per currency (its exceptions to two decimals). */
const ZERO_DECIMAL = new Set('BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF'.split(' '));
const THREE_DECIMAL = new Set('BHD JOD KWD OMR TND'.split(' '));
export const stripeDigits = (currency: string) =>
  ZERO_DECIMAL.has(currency.toUpperCase()) ? 0 : THREE_DECIMAL.has(currency.toUpperCase()) ? 3 : 2;

/** Stripe amount → commercetools centAmount, exactly (commercetools has at least Stripe's digits here). */
export function toCt(amount: number, currency: string, fractionDigits: number): number {
  const shift = fractionDigits - stripeDigits(currency);
  return shift >= 0 ? amount * 10 ** shift : amount / 10 ** -shift;
}

/** The latest charge holds authorized money (its authorization succeeded). */
export const isAuthorized = (f: PiFinal) => f.charge?.status === 'succeeded';

/** Nothing more can be captured, and less than authorized was: the rest is released. */
export function released(f: PiFinal): number {
  const c = f.charge;
  if (!c || !isAuthorized(f)) return 0;
  const done = f.pi.status === 'canceled' || (f.pi.status === 'succeeded' && f.pi.amount_capturable === 0);
  return done ? Math.max(0, c.amount - c.amount_captured) : 0;
}

export function expectedTransactions(f: PiFinal, fractionDigits: number): ExpectedTx[] {
  const { pi, charge } = f;
  const money = (amount: number) => toCt(amount, pi.currency, fractionDigits);
  const out: ExpectedTx[] = [];
  if (pi.status === 'processing') out.push({ type: 'Authorization', state: 'Pending', amount: money(pi.amount) });
  else if (isAuthorized(f)) out.push({ type: 'Authorization', state: 'Success', amount: money(charge!.amount) });
  else if (pi.last_payment_error || pi.status === 'canceled')
    out.push({ type: 'Authorization', state: 'Failure', amount: money(pi.amount) });
  if (isAuthorized(f)) {
    for (const capture of f.captures) out.push({ type: 'Charge', state: 'Success', amount: money(capture.amount) });
    const rest = released(f);
    if (rest > 0) out.push({ type: 'CancelAuthorization', state: 'Success', amount: money(rest) });
  }
  for (const refund of f.refunds) {
    const state =
      refund.status === 'succeeded'
        ? 'Success'
        : refund.status === 'failed' || refund.status === 'canceled'
          ? 'Failure'
          : 'Pending';
    out.push({ type: 'Refund', state, amount: money(refund.amount) });
  }
  for (const dispute of f.disputes) {
    // An inquiry moves no money and records nothing.
    if (dispute.status.startsWith('warning_')) continue;
    const state =
      dispute.status === 'lost'
        ? 'Success'
        : dispute.status === 'won' || dispute.status === 'prevented'
          ? 'Failure'
          : 'Pending';
    out.push({ type: 'Chargeback', state, amount: money(dispute.amount) });
  }
  return out;
}

const key = (t: { type: string; state: string; amount: number }) => `${t.type} ${t.state} ${t.amount}`;

function multiset(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const item of items) m.set(item, (m.get(item) ?? 0) + 1);
  return m;
}

/**
 * Captures the connector saw together (one webhook after two captures) may be one Charge for
 * their sum: accepted when the recorded Charges split the captures, in their order, into runs.
 */
function coarsens(recorded: number[], captures: number[]): boolean {
  const left = multiset(recorded.map(String));
  let run = 0;
  for (const amount of captures) {
    run += amount;
    const n = left.get(String(run)) ?? 0;
    if (n > 0) {
      left.set(String(run), n - 1);
      run = 0;
    }
  }
  return run === 0 && [...left.values()].every((n) => n === 0);
}

/** Invariant (c): differences between the commercetools payment and the expectation, or []. */
export function compareWithExpectation(payment: CtPayment, f: PiFinal): string[] {
  const digits = payment.amountPlanned.fractionDigits;
  const expected = expectedTransactions(f, digits);
  const actual = payment.transactions.map((t) => ({ type: t.type, state: t.state, amount: t.amount.centAmount }));
  const live = (t: { state: string }) => t.state === 'Success' || t.state === 'Pending';
  const problems: string[] = [];

  const charges = (list: { type: string; state: string; amount: number }[]) =>
    list.filter((t) => t.type === 'Charge' && t.state === 'Success').map((t) => t.amount);
  const chargeOk = coarsens(charges(actual), charges(expected));
  const notCharge = (t: { type: string; state: string }) =>
    !(t.type === 'Charge' && t.state === 'Success') || chargeOk === false;

  const want = multiset(expected.filter(live).filter(notCharge).map(key));
  const have = multiset(actual.filter(live).filter(notCharge).map(key));
  for (const [k, n] of want) if ((have.get(k) ?? 0) < n) problems.push(`missing ${k} (×${n - (have.get(k) ?? 0)})`);
  for (const [k, n] of have) if ((want.get(k) ?? 0) < n) problems.push(`extra ${k} (×${n - (want.get(k) ?? 0)})`);

  const failures = multiset(actual.filter((t) => t.state === 'Failure').map(key));
  for (const [k, n] of multiset(expected.filter((t) => t.state === 'Failure').map(key)))
    if ((failures.get(k) ?? 0) < n) problems.push(`missing ${k}`);
  return problems;
}

/** The order's paymentState the table of docs/payment-model.md asks for, from Stripe's state. */
export function expectedOrderState(f: PiFinal): string {
  const captured = f.charge?.amount_captured ?? 0;
  const refunded = f.refunds.filter((x) => x.status === 'succeeded').reduce((s, x) => s + x.amount, 0);
  const refunding = f.refunds.filter((x) => x.status === 'pending').reduce((s, x) => s + x.amount, 0);
  if (f.disputes.some((d) => d.status === 'lost')) return 'BalanceDue';
  if (captured > 0 && refunded >= captured) return 'Failed';
  if (captured > 0 && refunding > 0 && refunded + refunding >= captured) return 'CreditOwed';
  if (captured > 0) return 'Paid';
  if (isAuthorized(f) && released(f) > 0) return 'Failed';
  if (isAuthorized(f) || f.pi.status === 'processing') return 'Pending';
  return 'Failed';
}
