import { isAuthorized, toCt } from './expectation';
import {
  isAnswer,
  txAnswer,
  txIdentity,
  type DeletionRecord,
  type Ledger,
  type TxCartRecord,
  type TxOp,
} from './ledger';
import type { FinalState, PiFinal } from './observe';

/**
 * The oracle of saved cards and of commercetools Checkout's charges of them, from the ledger and
 * the final state of Stripe and commercetools only (docs/payment-model.md, "Saved cards", read
 * again here): one Stripe customer per commercetools customer, linked both ways; one
 * commercetools payment method per card saved at Stripe, none for a card no longer attached;
 * each charge request identity (its `Idempotency-Key`, else its body) makes one charge at most,
 * of what it asked (or what was left to pay), and its answer says so.
 */
export interface StoredFinding {
  invariant: 'a' | 'c' | 'd' | 'h' | 'i';
  subject: string;
  reason: string;
}

/** The connector's commercetools type on customers, and its field naming the Stripe customer. */
const CUSTOMER_TYPE_KEY = 'stripe-connector-customer';
const STRIPE_CUSTOMER_FIELD = 'stripeCustomerId';
const PROJECT_KEY = 'sandbox';

const pmOf = (f: PiFinal) =>
  typeof f.pi.payment_method === 'string' ? f.pi.payment_method : (f.pi.payment_method?.id ?? undefined);
const customerOf = (f: PiFinal) =>
  typeof f.pi.customer === 'string' ? f.pi.customer : (f.pi.customer?.id ?? undefined);

/** When a deletion of the method was first answered 204 (ms since the epoch). */
function deletedAt(deletions: DeletionRecord[], methodId: string): number | undefined {
  const times = deletions
    .filter((d) => d.methodId === methodId)
    .flatMap((d) => d.requests.filter((q) => q.status === 204).map((q) => q.at));
  return times.length > 0 ? Math.min(...times) : undefined;
}

/** Invariant (i): customers, saved cards and deletions. */
export function checkSavedCards(state: FinalState, ledger: Ledger): StoredFinding[] {
  const out: StoredFinding[] = [];
  const flag = (subject: string, reason: string) => out.push({ invariant: 'i', subject, reason });
  const { saved } = state;
  const pis = [...state.pis.values()];

  for (const record of ledger.customers) {
    const id = record.id;
    const subject = `customer ${id}`;
    const stripeCustomers = saved.stripeCustomers.filter((c) => c.metadata?.ct_customer_id === id);
    const theirPis = pis.filter((f) => f.pi.metadata.ct_customer_id === id);
    const paid = ledger.checkouts.some((c) => c.customerId === id && c.payments.length > 0) || theirPis.length > 0;
    if (stripeCustomers.length > 1)
      flag(subject, `${stripeCustomers.length} Stripe customers: ${stripeCustomers.map((c) => c.id).join(', ')}`);
    if (stripeCustomers.length === 0) {
      if (paid) flag(subject, 'paid with saved cards on, but no Stripe customer names it');
      continue;
    }
    const linked = stripeCustomers[0]!;
    if (linked.metadata.ct_project_key !== PROJECT_KEY)
      flag(subject, `${linked.id} names project ${linked.metadata.ct_project_key}`);
    const customer = saved.customers.get(id);
    const field = customer?.custom?.fields?.[STRIPE_CUSTOMER_FIELD];
    if (customer?.custom?.type.obj?.key !== CUSTOMER_TYPE_KEY || field !== linked.id)
      flag(
        subject,
        `not linked to its Stripe customer ${linked.id}: ${customer?.custom ? `type ${customer.custom.type.obj?.key}, ${STRIPE_CUSTOMER_FIELD} ${String(field)}` : 'no custom fields'}`,
      );
    for (const f of theirPis) {
      const named = customerOf(f);
      if (!stripeCustomers.some((c) => c.id === named))
        flag(subject, `${f.pi.id} is the customer's (ct_customer_id) but its Stripe customer is ${named ?? 'none'}`);
    }
    const known = new Set(stripeCustomers.map((c) => c.id));
    for (const f of pis) {
      const named = customerOf(f);
      if (named && known.has(named) && f.pi.metadata.ct_customer_id !== id)
        flag(
          subject,
          `${f.pi.id} is for its Stripe customer ${named} but names customer ${f.pi.metadata.ct_customer_id}`,
        );
    }

    // Cards: one commercetools payment method per card saved at Stripe, none for another one.
    const attached = new Set(stripeCustomers.flatMap((c) => (saved.attached.get(c.id) ?? []).map((pm) => pm.id)));
    const methods = saved.methods.filter((m) => m.customer?.id === id && m.paymentInterface === 'stripe');
    const byToken = new Map<string, string[]>();
    for (const m of methods) {
      const token = m.token?.value ?? '';
      byToken.set(token, [...(byToken.get(token) ?? []), m.id]);
      if (!token.startsWith('pm_'))
        flag(subject, `payment method ${m.id} holds ${token || 'no token'}, not a Stripe PaymentMethod`);
      else if (m.key !== `stripe-${token}`) flag(subject, `payment method ${m.id} of ${token} has the key ${m.key}`);
      if (token.startsWith('pm_') && !attached.has(token))
        flag(
          subject,
          `payment method ${m.id} (${m.paymentMethodStatus}) holds ${token}, which is not attached to the customer at Stripe (detached or deleted)`,
        );
    }
    for (const [token, ids] of byToken)
      if (ids.length > 1) flag(subject, `${ids.length} payment methods hold ${token}: ${ids.join(', ')}`);
    for (const token of attached) {
      if (byToken.has(token)) continue;
      const by = pis.find(
        (f) =>
          known.has(customerOf(f) ?? '') &&
          pmOf(f) === token &&
          f.pi.setup_future_usage === 'off_session' &&
          isAuthorized(f) &&
          ['requires_capture', 'succeeded'].includes(f.pi.status),
      );
      if (by)
        flag(
          subject,
          `${token} was saved by ${by.pi.id} (${by.pi.status}) but no commercetools payment method holds it`,
        );
    }

    // Recurring payment jobs: one per paying payment at most (a card saved before may be used by
    // several recurring carts, each with its job), naming the customer's method of the card that
    // payment paid with.
    const mine = new Map(methods.map((m) => [m.id, m]));
    const jobsByOrigin = new Map<string, number>();
    for (const job of saved.jobs) {
      const method = job.paymentMethod ? mine.get(job.paymentMethod.id) : undefined;
      if (!method) continue;
      const origin = job.originPayment?.id ?? '(none)';
      jobsByOrigin.set(origin, (jobsByOrigin.get(origin) ?? 0) + 1);
      // The PaymentIntent the payment is linked to (linkage, invariant (e), checks that it names
      // the payment); several may name it by key, only one is linked.
      const linkedTo = state.payments.get(origin)?.interfaceId;
      const paidWith = linkedTo ? state.pis.get(linkedTo) : undefined;
      if (!paidWith) flag(subject, `recurring payment job ${job.id}: its payment ${origin} has no PaymentIntent`);
      else if (pmOf(paidWith) !== method.token?.value)
        flag(
          subject,
          `recurring payment job ${job.id} names payment method ${method.id} (${method.token?.value}), but payment ${origin} paid with ${pmOf(paidWith)}`,
        );
    }
    for (const [origin, n] of jobsByOrigin)
      if (n > 1) flag(subject, `${n} recurring payment jobs for payment ${origin}`);
  }

  // Deletions: a 204 means the method is gone from commercetools and detached at Stripe.
  for (const deletion of ledger.deletions) {
    const subject = `customer ${deletion.customerId}`;
    const answered = deletion.requests.filter((q) => isAnswer(q.status));
    if (answered.some((q) => q.status !== 204 && q.status !== 404))
      flag(
        subject,
        `DELETE /stored-payment-methods/${deletion.methodId} answered ${answered.map((q) => q.status).join('/')}`,
      );
    if (!answered.some((q) => q.status === 204)) continue;
    if (saved.methods.some((m) => m.id === deletion.methodId))
      flag(subject, `payment method ${deletion.methodId} was deleted (204) but is still in commercetools`);
    const still = [...saved.attached.entries()].find(([, list]) => list.some((pm) => pm.id === deletion.token));
    if (still)
      flag(
        subject,
        `payment method ${deletion.methodId} was deleted (204) but ${deletion.token} is still attached to ${still[0]}`,
      );
  }

  // A card whose deletion was answered is never charged by a later request.
  for (const cart of ledger.txCarts) {
    const gone = deletedAt(ledger.deletions, cart.methodId);
    if (gone === undefined) continue;
    for (const op of cart.ops) {
      const first = Math.min(...op.requests.map((q) => q.sentAt));
      if (first > gone && txAnswer(op) === 'Completed')
        flag(
          `cart ${cart.cartId}`,
          `off-session charge #${op.id} was sent after payment method ${cart.methodId} was deleted (204) and answered Completed`,
        );
    }
  }
  return out;
}

interface Identity {
  id: string;
  ops: TxOp[];
  /** What it may charge, in the cart's money: its first body's amount, else the cart's total. */
  amount: number;
  states: Set<string>;
  /** May own a charge: answered Completed or Pending, or never answered. */
  ownable: boolean;
  positive: boolean;
  owned?: PiFinal;
}

/**
 * Invariants (a), (h), (c) and (d) for commercetools Checkout's charges of stored cards, cart by
 * cart. Answers the PaymentIntents whose authorization a charge request owns (their captures and
 * refunds are matched as any PaymentIntent's).
 */
export function checkCharges(state: FinalState, ledger: Ledger): { findings: StoredFinding[]; carts: Set<string> } {
  const out: StoredFinding[] = [];
  const carts = new Set(ledger.txCarts.map((c) => c.cartId));
  for (const cart of ledger.txCarts) out.push(...checkChargeCart(state, cart));
  return { findings: out, carts };
}

function checkChargeCart(state: FinalState, cart: TxCartRecord): StoredFinding[] {
  const out: StoredFinding[] = [];
  const subject = `cart ${cart.cartId}`;
  const flag = (invariant: StoredFinding['invariant'], reason: string) => out.push({ invariant, subject, reason });
  const money = (f: PiFinal) => toCt(f.charge!.amount, f.pi.currency, cart.fractionDigits);

  const identities = new Map<string, Identity>();
  for (const op of cart.ops) {
    const id = txIdentity(op);
    const known = identities.get(id);
    if (known) {
      known.ops.push(op);
      continue;
    }
    identities.set(id, {
      id,
      ops: [op],
      amount: op.body.amount?.centAmount ?? cart.cartAmount,
      states: new Set(),
      ownable: false,
      positive: false,
    });
  }
  for (const identity of identities.values()) {
    for (const op of identity.ops)
      for (const q of op.requests) if (isAnswer(q.status)) identity.states.add(q.state ?? String(q.status));
    identity.positive = identity.states.has('Completed') || identity.states.has('Pending');
    identity.ownable = identity.positive || identity.states.size === 0;
    if (identity.states.has('Completed') && identity.states.has('Failed'))
      flag('h', `off-session charge ${describe(identity)} answered both Completed and Failed`);
  }

  // Every charge of the cart is one request identity's, of its amount.
  const pis = [...state.pis.values()]
    .filter((f) => f.pi.metadata.ct_cart_id === cart.cartId)
    .sort((a, b) => a.pi.created - b.pi.created || a.pi.id.localeCompare(b.pi.id));
  const ranked = [...identities.values()].sort((a, b) => Number(b.positive) - Number(a.positive));
  for (const f of pis.filter((x) => isAuthorized(x))) {
    const amount = money(f);
    const owner = ranked.find((i) => i.ownable && !i.owned && i.amount === amount);
    if (owner) {
      owner.owned = f;
      continue;
    }
    const otherBody = cart.ops.find((o) => o.tags.includes('key-other-body') && o.body.amount?.centAmount === amount);
    if (otherBody) {
      flag(
        'h',
        `off-session charge #${otherBody.id} reused an Idempotency-Key with another body and Stripe charged ${amount} (${f.pi.id})`,
      );
      continue;
    }
    const refused = ranked.find((i) => !i.ownable && i.amount === amount);
    const twice = ranked.find((i) => i.owned && i.amount === amount);
    flag(
      refused ? 'h' : 'a',
      refused
        ? `off-session charge ${describe(refused)} was answered ${[...refused.states].join('/')} but Stripe charged ${amount} (${f.pi.id})`
        : twice
          ? `a second charge of ${amount} (${f.pi.id}) for one request identity, already charged by ${twice.owned!.pi.id}: ${describe(twice)}`
          : `charge of ${amount} (${f.pi.id}) matches no off-session charge request of the cart`,
    );
  }

  for (const identity of identities.values()) {
    if (identity.positive && !identity.owned)
      flag(
        'h',
        `off-session charge ${describe(identity)} was answered Completed but Stripe shows no charge of ${identity.amount}`,
      );
    for (const op of identity.ops) {
      for (const q of op.requests) {
        if (!isAnswer(q.status) || !q.state) continue;
        const payment = q.paymentReference ? state.payments.get(q.paymentReference) : undefined;
        // (Another body under a used key is checked above.)
        if (
          q.state === 'Completed' &&
          identity.owned &&
          payment?.interfaceId !== identity.owned.pi.id &&
          !op.tags.includes('key-other-body')
        )
          flag(
            'h',
            `off-session charge #${op.id} answered Completed with payment ${q.paymentReference}, linked to ${payment?.interfaceId ?? 'nothing'}, not to its charge ${identity.owned.pi.id}`,
          );
        if (q.state === 'Failed' && !q.reason)
          flag('h', `off-session charge #${op.id} answered Failed without a reason`);
        if (q.state === 'Failed' && cart.needsAuth) {
          if (!/authentication_required/.test(q.reason ?? ''))
            flag('h', `off-session charge #${op.id} of a card that needs authentication failed with: ${q.reason}`);
          if (!payment?.transactions.some((t) => t.state === 'Failure'))
            flag(
              'c',
              `off-session charge #${op.id} answered Failed (authentication_required) but payment ${q.paymentReference ?? '(none)'} records no Failure`,
            );
        }
      }
      if (op.tags.includes('key-other-body') && txAnswer(op) !== 'invalid')
        flag(
          'h',
          `off-session charge #${op.id}: a used Idempotency-Key with another body was answered ${op.requests.map((q) => q.state ?? q.status).join('/')}, not 400`,
        );
    }
    if (cart.needsAuth && identity.states.has('Completed'))
      flag('h', `off-session charge ${describe(identity)} of a card that needs authentication answered Completed`);
  }

  // Orders: none from the connector. A payment of a commercetools Checkout transaction item is
  // ordered by Checkout once its transaction completes (docs/payment-model.md, the charge of a
  // stored card), whether the cart was charged in full or in parts.
  for (const order of state.ordersByCart.get(cart.cartId) ?? [])
    flag('d', `order ${order.id}: the connector ordered a cart of Checkout's transaction items, which Checkout orders`);
  return out;
}

const describe = (identity: Identity) =>
  `#${identity.ops.map((o) => o.id).join('/')} (${identity.id.startsWith('key ') ? 'keyed' : 'keyless'}, ${identity.amount})`;
