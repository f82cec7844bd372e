import { isAuthorized } from './expectation';
import { answerOf, type CheckoutRecord, type LogicalOp } from './ledger';
import type { PiFinal } from './observe';

/**
 * Invariants (a) and (h): every money movement Stripe shows for a PaymentIntent is matched to
 * exactly one cause the run knows of (an operation it sent, the shopper's payment, a dashboard
 * action, a Stripe move it triggered, or the connector's release of a payment whose cart
 * changed), and every operation answered `approved`/`received` owns a movement of its own.
 */
export interface Finding {
  invariant: 'a' | 'd' | 'h';
  paymentIntentId: string;
  reason: string;
}

type Kind = 'capture' | 'refund' | 'cancel';

interface Movement {
  kind: Kind;
  amount: number;
  id: string;
  cartChanged?: boolean;
  /** The refund's `ct_reason` metadata, when the connector gave one. */
  reason?: string;
  automatic?: boolean;
}

interface Cause {
  label: string;
  kinds: Kind[];
  /** undefined: any amount (a reversal refunds what is left). */
  amount?: number;
  /** Lower ranks are matched first: what certainly happened, then what was answered, then the unanswered. */
  rank: number;
  /** How many movements it may own (a reversal: one refund and one cancel). */
  used: Set<Kind>;
  op?: LogicalOp;
  release?: boolean;
  refundId?: string;
  automatic?: boolean;
}

/** The shopper's confirmation that must be released: authorized for another amount than the cart asked. */
export function needsRelease(checkout: CheckoutRecord | undefined, f: PiFinal): boolean {
  // The confirmation that authorized: the last one Stripe accepted (an earlier attempt may have
  // failed later, as a SEPA debit does, and the PaymentIntent been paid again).
  const authorizing = (checkout?.shopper ?? [])
    .filter((s) => s.paymentIntentId === f.pi.id && ['succeeded', 'requires_capture', 'processing'].includes(s.stripe))
    .at(-1);
  return isAuthorized(f) && authorizing !== undefined && authorizing.amount !== authorizing.cartAmount;
}

/**
 * `offSession`: the PaymentIntent is an off-session charge of a stored card, whose authorization
 * the charges' oracle (stored.ts) matches to a request; its captures and refunds are matched here.
 */
export function checkMovements(f: PiFinal, checkout: CheckoutRecord | undefined, offSession = false): Finding[] {
  const pi = f.pi;
  const out: Finding[] = [];
  const flag = (invariant: Finding['invariant'], reason: string) =>
    out.push({ invariant, paymentIntentId: pi.id, reason });
  const authorized = isAuthorized(f);

  // The authorization itself: the shopper confirmed exactly this amount on this PaymentIntent.
  const confirms = (checkout?.shopper ?? []).filter((s) => s.paymentIntentId === pi.id);
  if (!offSession && authorized && !confirms.some((s) => s.amount === f.charge!.amount))
    flag(
      'a',
      `authorized ${f.charge!.amount} but the shopper confirmed ${confirms.map((s) => s.amount).join('/') || 'nothing'}`,
    );

  const movements: Movement[] = [
    ...f.captures.map((c) => ({ kind: 'capture' as const, amount: c.amount, id: c.id })),
    ...f.refunds.map((x) => ({
      kind: 'refund' as const,
      amount: x.amount,
      id: x.id,
      cartChanged: x.metadata?.ct_reason === 'cart_changed',
      ...(x.metadata?.ct_reason ? { reason: x.metadata.ct_reason } : {}),
    })),
  ];
  if (authorized && pi.status === 'canceled')
    movements.push({
      kind: 'cancel',
      amount: f.charge!.amount - f.charge!.amount_captured,
      id: `${pi.id} canceled (${pi.cancellation_reason ?? 'no reason'})`,
      // Stripe's own cancels: an expired authorization says `expired`, others `automatic`.
      automatic: pi.cancellation_reason === 'expired' || pi.cancellation_reason === 'automatic',
    });

  const causes: Cause[] = [];
  const add = (cause: Omit<Cause, 'used'>) => causes.push({ ...cause, used: new Set() });
  if (authorized && pi.capture_method !== 'manual')
    add({
      label: offSession ? 'off-session charge (automatic capture)' : 'shopper payment (automatic capture)',
      kinds: ['capture'],
      amount: f.charge!.amount,
      rank: 0,
    });
  for (const d of checkout?.dashboard ?? []) {
    if (d.paymentIntentId !== pi.id || !d.ok) continue;
    add({
      label: `dashboard ${d.kind}`,
      kinds: [d.kind],
      ...(d.kind === 'capture' && d.amount !== undefined ? { amount: d.amount } : {}),
      ...(d.kind === 'refund' && d.refundId ? { refundId: d.refundId } : {}),
      rank: 0,
    });
  }
  for (const s of checkout?.stripe ?? [])
    if (s.paymentIntentId === pi.id && s.kind === 'expire' && s.ok)
      add({ label: 'authorization expiry', kinds: ['cancel'], automatic: true, rank: 0 });
  if (needsRelease(checkout, f))
    add({ label: 'release of a payment whose cart changed', kinds: ['cancel', 'refund'], release: true, rank: 3 });
  const ops = (checkout?.ops ?? []).filter((o) => o.paymentIntentId === pi.id);
  for (const op of ops) {
    const answer = answerOf(op);
    if (answer === 'rejected' || answer === 'invalid') continue;
    const rank = answer === 'positive' ? 1 : 2;
    const kinds: Kind[] =
      op.action === 'capturePayment'
        ? ['capture']
        : op.action === 'refundPayment'
          ? ['refund']
          : op.action === 'cancelPayment'
            ? ['cancel']
            : ['refund', 'cancel'];
    add({
      label: `operation #${op.id} ${op.action}`,
      kinds,
      ...(op.amount !== undefined ? { amount: op.amount } : {}),
      rank,
      op,
    });
  }

  const fits = (c: Cause, m: Movement) =>
    c.kinds.includes(m.kind) &&
    !c.used.has(m.kind) &&
    !(c.release && c.used.size > 0) &&
    (c.refundId ? c.refundId === m.id : true) &&
    (c.amount === undefined || c.amount === m.amount || m.kind === 'cancel') &&
    // A release refunds what is left and says why; an automatic cancel is the expiry's.
    (c.release ? m.kind === 'cancel' || m.cartChanged === true : m.cartChanged !== true) &&
    (m.kind !== 'cancel' || Boolean(c.automatic) === Boolean(m.automatic));
  const owner = new Map<Movement, Cause>();
  // Exact causes before "any amount" ones, so that a reversal never takes another operation's refund.
  const order = [...causes].sort(
    (a, b) => a.rank - b.rank || Number(a.amount === undefined) - Number(b.amount === undefined),
  );
  for (const m of movements) {
    const cause = order.find((c) => fits(c, m));
    if (cause) {
      cause.used.add(m.kind);
      owner.set(m, cause);
    }
  }

  for (const m of movements) {
    if (owner.has(m)) continue;
    if (m.cartChanged) {
      const released = causes.some((c) => c.release);
      flag(
        'a',
        `refund of ${m.amount} (${m.id}) says cart_changed, ${released ? 'but the payment was released already' : 'but the cart did not change during this payment'}`,
      );
      continue;
    }
    const refused = ops.find(
      (o) =>
        (answerOf(o) === 'rejected' || answerOf(o) === 'invalid') &&
        kindsOf(o).includes(m.kind) &&
        (o.amount === undefined || o.amount === m.amount),
    );
    if (refused)
      flag(
        'h',
        `operation #${refused.id} ${refused.action} was answered ${answerOf(refused)} but Stripe shows a ${m.kind} of ${m.amount} (${m.id})`,
      );
    else
      flag(
        'a',
        `${m.kind} of ${m.amount} (${m.id}) matches no request, shopper payment or dashboard action${m.reason ? ` (ct_reason=${m.reason})` : ''}`,
      );
  }
  for (const c of causes) {
    if (c.op && answerOf(c.op) === 'positive' && c.used.size === 0)
      flag(
        'h',
        `operation #${c.op.id} ${c.op.action}${c.op.amount !== undefined ? ` ${c.op.amount}` : ''} was answered ${outcomes(c.op)} but Stripe shows no movement of its own`,
      );
    if (c.release && c.used.size === 0)
      flag('d', `the cart changed during payment and the authorization of ${f.charge?.amount} was not released`);
  }
  for (const op of ops) {
    const said = new Set(op.requests.map((q) => q.outcome).filter(Boolean));
    // Keyless copies sent together are one operation only if the second arrived before the
    // first was answered: then a refusal of the second is honest (it moved nothing, see above).
    const together = op.tags.includes('concurrent-keyless');
    if (!together && said.has('rejected') && (said.has('approved') || said.has('received')))
      flag('h', `operation #${op.id} ${op.action} answered both ${[...said].join(' and ')}`);
    if (op.tags.includes('key-other-body') && answerOf(op) !== 'invalid')
      flag('h', `operation #${op.id}: a used Idempotency-Key with another body was answered ${outcomes(op)}, not 400`);
  }
  return out;
}

const kindsOf = (op: LogicalOp): Kind[] =>
  op.action === 'capturePayment'
    ? ['capture']
    : op.action === 'refundPayment'
      ? ['refund']
      : op.action === 'cancelPayment'
        ? ['cancel']
        : ['refund', 'cancel'];

const outcomes = (op: LogicalOp) => op.requests.map((q) => q.outcome ?? q.status).join('/');
