import { compareWithExpectation, expectedOrderState, isAuthorized, released, toCt } from './expectation';
import type { CheckoutRecord, Ledger } from './ledger';
import type { LogScan } from './logscan';
import { checkMovements, needsRelease } from './movements';
import type { CtPayment, FinalState, PiFinal } from './observe';
import { checkCharges, checkSavedCards } from './stored';

export const INVARIANTS = {
  a: '(a) every Stripe movement matches exactly one request, shopper payment, dashboard action or cart-change release',
  b: '(b) refunded ≤ captured ≤ authorized, in Stripe and in commercetools',
  c: '(c) commercetools equals the expectation from Stripe',
  d: '(d) orders and amounts: one order per cart at most, for the amount authorized, in the right payment state; PaymentIntent amount = cart amount; changed carts released',
  e: '(e) every PaymentIntent is its payment’s and only its',
  f: '(f) no secret or raw Stripe payload in any log',
  g: '(g) no checkout left unpayable',
  h: '(h) operation and off-session charge answers are honest',
  i: '(i) saved cards: one Stripe customer per commercetools customer, linked both ways; one payment method per saved card, none for a detached one',
} as const;

export type Invariant = keyof typeof INVARIANTS;

export interface Violation {
  invariant: Invariant;
  /** The commercetools payment (or PaymentIntent, or log source) it is about. */
  subject: string;
  reason: string;
}

const sum = (payment: CtPayment, type: string, states: string[]) =>
  payment.transactions
    .filter((t) => t.type === type && states.includes(t.state))
    .reduce((s, t) => s + t.amount.centAmount, 0);

function bounds(f: PiFinal, payment: CtPayment | undefined, add: (reason: string) => void): void {
  const c = f.charge;
  if (f.charges.filter((x) => x.status === 'succeeded').length > 1) add('more than one successful charge');
  if (c) {
    const refunded = f.refunds
      .filter((x) => x.status === 'succeeded' || x.status === 'pending')
      .reduce((s, x) => s + x.amount, 0);
    if (!(refunded <= c.amount_captured && c.amount_captured <= c.amount))
      add(`Stripe: refunded ${refunded}, captured ${c.amount_captured}, authorized ${c.amount}`);
  }
  if (payment) {
    const refunded = sum(payment, 'Refund', ['Success', 'Pending']);
    const captured = sum(payment, 'Charge', ['Success']);
    const authorized = sum(payment, 'Authorization', ['Success']);
    if (!(refunded <= captured && captured <= authorized))
      add(`commercetools: refunded ${refunded}, captured ${captured}, authorized ${authorized}`);
  }
}

/** Authorized money not released, or captured and not all refunded. */
function holdsMoney(f: PiFinal): boolean {
  const c = f.charge!;
  const refunded = f.refunds
    .filter((x) => x.status !== 'failed' && x.status !== 'canceled')
    .reduce((s, x) => s + x.amount, 0);
  return c.amount_captured > refunded || (f.pi.status === 'requires_capture' && f.pi.amount_capturable > 0);
}

/** Orders of the ledger's carts (d), with the payments each cart kept. */
function orders(state: FinalState, checkout: CheckoutRecord, add: (subject: string, reason: string) => void): void {
  const list = state.ordersByCart.get(checkout.cartId) ?? [];
  const pis = [...new Set(checkout.payments.map((p) => p.paymentIntentId))].flatMap((id) => {
    const f = state.pis.get(id);
    return f ? [f] : [];
  });
  // The cart's payments: authorized for what it asked; those still holding money come first (a
  // cart whose payment was released before any order was made may have been paid again).
  const kept = pis.filter((f) => isAuthorized(f) && !needsRelease(checkout, f));
  const live = kept.filter((f) => holdsMoney(f));
  const subject = `cart ${checkout.cartId}`;
  if (list.length > 1) add(subject, `${list.length} orders`);
  if (live.length > 1)
    add(subject, `${live.length} payments hold money for one cart: ${live.map((f) => f.pi.id).join(', ')}`);
  const order = list[0];
  const f = live[0] ?? kept.at(-1);
  if (order && !f) {
    const changed = pis.find((x) => isAuthorized(x) && needsRelease(checkout, x));
    add(
      subject,
      changed
        ? `order ${order.id} although ${changed.pi.id} was authorized for ${changed.charge!.amount} while the cart asked another amount`
        : `order ${order.id} for a released or unpaid payment`,
    );
  }
  if (order && f) {
    const total = (order.taxedPrice?.totalGross ?? order.totalPrice).centAmount;
    const authorized = toCt(f.charge!.amount, f.pi.currency, order.totalPrice.fractionDigits);
    if (total !== authorized) add(subject, `order total ${total} but ${authorized} authorized (${f.pi.id})`);
    const want = expectedOrderState(f);
    if (order.paymentState !== want)
      add(subject, `order paymentState ${order.paymentState}, expected ${want} (${f.pi.id})`);
  }
  const clean = f && f.refunds.length === 0 && released(f) === 0 && f.pi.status !== 'canceled';
  if (!order && clean) add(subject, `no order for the payment authorized for the cart (${f.pi.id})`);
  const opened = new Set(checkout.payments.filter((p) => p.beforeConfirm).map((p) => p.paymentIntentId));
  if (opened.size > 1)
    add(subject, `POST /payments repeated after cart changes made ${opened.size} PaymentIntents, not one`);
  for (const p of checkout.payments)
    if (p.piAmount !== p.cartAmount)
      add(
        `payment ${p.paymentId}`,
        `after POST /payments the PaymentIntent asks ${p.piAmount}, the cart ${p.cartAmount}`,
      );
}

const byKey = new WeakMap<FinalState, Map<string, CtPayment>>();

/**
 * The commercetools payment a PaymentIntent names: by id (`ct_payment_id`), or by key
 * (`ct_payment_key`, when the two were made at the same time).
 */
function namedPayment(state: FinalState, pi: PiFinal['pi']): CtPayment | undefined {
  const id = pi.metadata.ct_payment_id;
  if (id) return state.payments.get(id);
  const key = pi.metadata.ct_payment_key;
  if (!key) return undefined;
  let index = byKey.get(state);
  if (!index) {
    index = new Map([...state.payments.values()].filter((p) => p.key).map((p) => [p.key!, p]));
    byKey.set(state, index);
  }
  return index.get(key);
}

/** How a PaymentIntent names its payment, for messages. */
const nameOf = (pi: PiFinal['pi']) =>
  pi.metadata.ct_payment_id ?? (pi.metadata.ct_payment_key ? `key=${pi.metadata.ct_payment_key}` : undefined);

function linkage(state: FinalState, ledger: Ledger, add: (subject: string, reason: string) => void): void {
  for (const checkout of ledger.checkouts)
    for (const p of checkout.payments) {
      const payment = state.payments.get(p.paymentId);
      const f = state.pis.get(p.paymentIntentId);
      if (!payment) add(`payment ${p.paymentId}`, 'answered by POST /payments but not in commercetools');
      else if (payment.interfaceId !== p.paymentIntentId)
        add(
          `payment ${p.paymentId}`,
          `interfaceId ${payment.interfaceId} but its client secret is of ${p.paymentIntentId}`,
        );
      if (f && (namedPayment(state, f.pi)?.id !== p.paymentId || f.pi.metadata.ct_cart_id !== checkout.cartId))
        add(`payment ${p.paymentId}`, `${f.pi.id} names payment ${nameOf(f.pi)}, cart ${f.pi.metadata.ct_cart_id}`);
    }
  for (const f of state.pis.values()) {
    const payment = namedPayment(state, f.pi);
    if (payment?.interfaceId && payment.interfaceId !== f.pi.id)
      add(`payment ${payment.id}`, `${f.pi.id} names it, but it is linked to ${payment.interfaceId}`);
  }
  for (const payment of state.payments.values()) {
    if (!payment.interfaceId) continue;
    const f = state.pis.get(payment.interfaceId);
    if (!f) add(`payment ${payment.id}`, `linked to ${payment.interfaceId}, which Stripe does not have`);
    else if (namedPayment(state, f.pi)?.id !== payment.id)
      add(`payment ${payment.id}`, `linked to ${f.pi.id}, which names payment ${nameOf(f.pi)}`);
  }
}

export function checkInvariants(state: FinalState, ledger: Ledger, scan: LogScan): Violation[] {
  const out: Violation[] = [];
  const v = (invariant: Invariant) => (subject: string, reason: string) => out.push({ invariant, subject, reason });
  const byPi = ledger.byPaymentIntent();
  const charges = checkCharges(state, ledger);

  for (const f of state.pis.values()) {
    const checkout = byPi.get(f.pi.id);
    const named = namedPayment(state, f.pi);
    const subject = `payment ${named?.id ?? nameOf(f.pi) ?? '?'} (${f.pi.id})`;
    const offSession = !checkout && charges.carts.has(f.pi.metadata.ct_cart_id ?? '');
    for (const finding of checkMovements(f, checkout, offSession)) v(finding.invariant)(subject, finding.reason);
    const payment = named;
    bounds(f, payment?.interfaceId === f.pi.id ? payment : undefined, (reason) => v('b')(subject, reason));
  }
  for (const payment of state.payments.values()) {
    const f = payment.interfaceId ? state.pis.get(payment.interfaceId) : undefined;
    const subject = `payment ${payment.id}${f ? ` (${f.pi.id})` : ''}`;
    if (f) {
      const problems = compareWithExpectation(payment, f);
      if (problems.length > 0) v('c')(subject, problems.join('; '));
    } else if (payment.transactions.some((t) => t.state === 'Success' || t.state === 'Pending')) {
      v('c')(subject, 'money transactions without a PaymentIntent');
    }
  }
  for (const checkout of ledger.checkouts) orders(state, checkout, v('d'));
  linkage(state, ledger, v('e'));
  for (const finding of scan.findings) v('f')(finding.source, `${finding.leak}: ${finding.excerpt}`);
  for (const checkout of ledger.checkouts)
    for (const s of checkout.shopper)
      if (s.repay && s.confirm?.outcome !== 'approved')
        v('g')(
          `cart ${checkout.cartId}`,
          `paying again with pm_card_visa: ${s.stripe}, confirm ${JSON.stringify(s.confirm)}`,
        );
  for (const note of ledger.unpayable) v('g')(`cart ${note.cartId}`, note.reason);
  for (const finding of [...charges.findings, ...checkSavedCards(state, ledger)])
    out.push({
      invariant: finding.invariant,
      subject: finding.subject,
      reason: finding.reason,
    });
  return out;
}
