import type { Flavor } from './replicas';

/**
 * The run's own record of everything it asked for and what it got: the oracle judges the
 * connector from this and from Stripe's state, never from the connector's code.
 */

export type OpAction = 'capturePayment' | 'refundPayment' | 'cancelPayment' | 'reversePayment';

/** One HTTP request of an operation and what came back (status 0: no answer at all). */
export interface OpRequest {
  replica: string;
  status: number;
  outcome?: string;
  errorCode?: string;
  ms: number;
  /** When the answer (or its absence) came, ms since the epoch. */
  at: number;
}

/**
 * One intended operation: its first request and every retry of it (same body, and same
 * `Idempotency-Key` when it has one), including copies sent to two replicas at once.
 */
export interface LogicalOp {
  id: number;
  paymentId: string;
  paymentIntentId: string;
  action: OpAction;
  /** Minor units, for capture and refund. */
  amount?: number;
  key?: string;
  body: Record<string, unknown>;
  requests: OpRequest[];
  /** How the run sent it: 'concurrent', 'kill', 'lost-answer', 'after-webhook', 'same-again', 'key-other-body'. */
  tags: string[];
}

/** How an operation was finally answered, over all its requests. */
export function answerOf(op: LogicalOp): 'positive' | 'rejected' | 'unanswered' | 'invalid' {
  const answered = op.requests.filter((r) => isAnswer(r.status));
  if (answered.some((r) => r.outcome === 'approved' || r.outcome === 'received')) return 'positive';
  if (answered.some((r) => r.status === 400)) return 'invalid';
  if (answered.length > 0) return 'rejected';
  return 'unanswered';
}

/** 2xx and client errors other than 409/429 are answers; 5xx, 409, 429 and no answer ask for a retry. */
export const isAnswer = (status: number) => status >= 200 && status < 500 && status !== 409 && status !== 429;

/** One `POST /payments` answer. */
export interface PaymentRecord {
  paymentId: string;
  paymentIntentId: string;
  replica: string;
  /** The cart's amount to pay when it was asked (minor units). */
  cartAmount: number;
  /** The PaymentIntent's amount read from Stripe right after the answer. */
  piAmount: number;
  /** Asked before the shopper confirmed anything (the repeats of a changed cart). */
  beforeConfirm: boolean;
  /** What the browser asked for besides the cart: saving the card, or a stored one (its commercetools id). */
  saving?: { store?: boolean; storedPaymentMethodId?: string };
}

/** One confirmation by the shopper in the browser (Stripe.js), and what the processor said after. */
export interface ShopperConfirm {
  paymentIntentId: string;
  paymentId: string;
  card: string;
  /** The amount Stripe showed the shopper (minor units). */
  amount: number;
  /** The cart's amount to pay at that moment. */
  cartAmount: number;
  /** Stripe's answer to the browser: the PaymentIntent status, or the error code. */
  stripe: string;
  confirm?: { status: number; outcome?: string; errorCode?: string };
  /** Made by invariant (g)'s check after the run. */
  repay?: boolean;
}

export interface DashboardAction {
  kind: 'capture' | 'refund' | 'cancel';
  paymentIntentId: string;
  amount?: number;
  ok: boolean;
  refundId?: string;
  error?: string;
}

/** Stripe's own moves the run triggered through controls. */
export interface StripeMove {
  kind: 'expire' | 'settle' | 'refund-failed' | 'refund-settled' | 'dispute' | 'dispute-closed';
  paymentIntentId: string;
  ok: boolean;
  detail?: string;
}

export interface CartChange {
  quantity: number;
  total: number;
  /** Whether `POST /payments` was repeated after it (before the shopper confirmed). */
  reposted: boolean;
}

export interface CheckoutRecord {
  index: number;
  flavor: Flavor;
  currency: string;
  cartId: string;
  sessionId: string;
  /** The commercetools customer of the cart (saved cards), when it has one. */
  customerId?: string;
  /** The cart's amount to pay now. */
  cartAmount: number;
  steps: string[];
  payments: PaymentRecord[];
  shopper: ShopperConfirm[];
  ops: LogicalOp[];
  dashboard: DashboardAction[];
  stripe: StripeMove[];
  cartChanges: CartChange[];
  /** What the run could not do (e.g. a step whose precondition did not hold), for the report. */
  notes: string[];
}

export class Counter {
  readonly counts: Record<string, number> = {};
  add(key: string, n = 1): void {
    this.counts[key] = (this.counts[key] ?? 0) + n;
  }
  get(key: string): number {
    return this.counts[key] ?? 0;
  }
}

/** A commercetools customer of the run (saved cards); `fresh` ones belong to one checkout. */
export interface CustomerRecord {
  id: string;
  email: string;
  fresh: boolean;
}

/** One HTTP request of a transaction or a deletion, and what came back (status 0: no answer). */
export interface CallRecord {
  replica: string;
  status: number;
  /** `transactionStatus.state` of a transaction's answer. */
  state?: string;
  /** The first error message of a Failed transaction (its reason). */
  reason?: string;
  paymentReference?: string;
  errorCode?: string;
  /** When it was sent and answered, ms since the epoch. */
  sentAt: number;
  at: number;
}

/**
 * One intended charge of a stored card by commercetools Checkout (`POST /operations/transactions`):
 * its first request and every retry (same body and key), copies to two replicas included. Repeats
 * meant as the same charge are ops of their own with the same identity (tag `repeat`).
 */
export interface TxOp {
  id: number;
  body: {
    cartId: string;
    paymentInterface: string;
    checkoutTransactionItemId: string;
    paymentMethod: { id: string };
    amount?: { centAmount: number; currencyCode: string };
    futureOrderNumber?: string;
  };
  key?: string;
  /** 'repeat', 'concurrent', 'kill', 'ct409', 'ct503', 'stripe500', 'key-other-body', 'after-delete'. */
  tags: string[];
  requests: CallRecord[];
}

/** The identity of a transaction request: its `Idempotency-Key`, else its whole body. */
export const txIdentity = (op: Pick<TxOp, 'key' | 'body'>) =>
  op.key !== undefined ? `key ${op.key}` : `body ${JSON.stringify(op.body)}`;

/** How a transaction op was finally answered, over all its requests. */
export function txAnswer(op: TxOp): 'Completed' | 'Failed' | 'Pending' | 'invalid' | 'unanswered' {
  const answered = op.requests.filter((q) => isAnswer(q.status));
  for (const state of ['Completed', 'Pending', 'Failed'] as const)
    if (answered.some((q) => q.state === state)) return state;
  return answered.length > 0 ? 'invalid' : 'unanswered';
}

/** A cart of a customer charged by commercetools Checkout with a stored card (no shopper). */
export interface TxCartRecord {
  index: number;
  customerId: string;
  cartId: string;
  currency: string;
  /** The cart's gross total (minor units of commercetools). */
  cartAmount: number;
  fractionDigits: number;
  /** Only parts of the cart are asked for (amounts), never all of it: no order may be made. */
  partial: boolean;
  /** The stored method charged: its commercetools id and Stripe PaymentMethod. */
  methodId: string;
  token: string;
  /** The method needs the shopper off-session (authentication_required): every charge must fail. */
  needsAuth: boolean;
  ops: TxOp[];
  notes: string[];
}

/** A deletion of a stored method through `DELETE /stored-payment-methods/:id` (retries, copies). */
export interface DeletionRecord {
  customerId: string;
  methodId: string;
  token: string;
  tags: string[];
  requests: CallRecord[];
}

export class Ledger {
  readonly checkouts: CheckoutRecord[] = [];
  readonly customers: CustomerRecord[] = [];
  readonly txCarts: TxCartRecord[] = [];
  readonly deletions: DeletionRecord[] = [];
  /** Faults injected, per class (see FAULT_CLASSES). */
  readonly faults = new Counter();
  readonly outcomes = new Counter();
  /** Carts invariant (g) could not pay again, and why. */
  readonly unpayable: { cartId: string; reason: string }[] = [];
  private nextOp = 1;

  checkout(
    record: Omit<
      CheckoutRecord,
      'payments' | 'shopper' | 'ops' | 'dashboard' | 'stripe' | 'cartChanges' | 'notes' | 'steps'
    >,
  ): CheckoutRecord {
    const full: CheckoutRecord = {
      ...record,
      steps: [],
      payments: [],
      shopper: [],
      ops: [],
      dashboard: [],
      stripe: [],
      cartChanges: [],
      notes: [],
    };
    this.checkouts.push(full);
    return full;
  }

  txOp(cart: TxCartRecord, op: Omit<TxOp, 'id' | 'requests'>): TxOp {
    const full: TxOp = { ...op, id: this.nextOp++, requests: [] };
    cart.ops.push(full);
    return full;
  }

  op(checkout: CheckoutRecord, op: Omit<LogicalOp, 'id' | 'requests'>): LogicalOp {
    const full: LogicalOp = { ...op, id: this.nextOp++, requests: [] };
    checkout.ops.push(full);
    return full;
  }

  /** Every PaymentIntent the run knows of, with its checkout. */
  byPaymentIntent(): Map<string, CheckoutRecord> {
    const map = new Map<string, CheckoutRecord>();
    for (const c of this.checkouts) for (const p of c.payments) map.set(p.paymentIntentId, c);
    return map;
  }
}
