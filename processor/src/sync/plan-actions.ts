import type { Payment, PaymentUpdateAction, Transaction } from '@commercetools/platform-sdk';
import type { TxState, TxType } from './desired-transactions';

/** A desired transaction with its amount in the commercetools payment's money. */
export interface DesiredCtTransaction {
  type: TxType;
  state: TxState;
  centAmount: number;
  interactionId: string;
  /** `centAmount` is a running total of the charge's captures (see desired-transactions). */
  cumulative?: true;
  /** On a cumulative total: one capture whose own amount is known, in the payment's money. */
  known?: { amount: number; total: number };
}

/** interactionId of a capture that brought a charge's captured total to `total`. */
export const captureInteractionId = (chargeId: string, total: number) => `${chargeId}:${total}`;

/**
 * The missing part of a cumulative total, as transactions (none when nothing is missing): one for
 * the whole difference, or, when one capture of it is known, that capture on its own and what was
 * captured before and after it as one transaction each.
 */
function cumulativeAdditions(payment: Payment, tx: DesiredCtTransaction): DesiredCtTransaction[] {
  const recorded = payment.transactions
    .filter((t) => t.type === tx.type && (t.state === 'Success' || t.state === 'Pending'))
    .filter((t) => t.interactionId === tx.interactionId || t.interactionId?.startsWith(`${tx.interactionId}:`))
    .reduce((sum, t) => sum + t.amount.centAmount, 0);
  if (tx.centAmount <= recorded) return [];
  const bounds = [recorded];
  const known = tx.known;
  if (known && known.total - known.amount >= recorded && known.total <= tx.centAmount) {
    bounds.push(known.total - known.amount, known.total);
  }
  bounds.push(tx.centAmount);
  const additions: DesiredCtTransaction[] = [];
  for (let i = 1; i < bounds.length; i++) {
    const [from, to] = [bounds[i - 1]!, bounds[i]!];
    if (to <= from) continue;
    additions.push({
      type: tx.type,
      state: tx.state,
      centAmount: to - from,
      interactionId: from === 0 ? tx.interactionId : captureInteractionId(tx.interactionId, to),
    });
  }
  return additions;
}

export interface PaymentFacts {
  interfaceId: string;
  /** Stripe status, shown as the payment's status interface code. */
  statusCode?: string;
  /** The Stripe payment method type (card, sepa_debit, ...), when known. */
  method?: string;
  /** Card details for the SDK's predefined card-details type (when that type exists). */
  card?: { typeKey: string; fields: { brand?: string; lastFour?: string; expiryMonth?: number; expiryYear?: number } };
  /** The events that triggered this sync, each recorded once as an interface interaction (ids only). */
  interactions?: readonly { typeKey: string; fields: { interactionId: string; type: string; createdAt: string } }[];
  /** `changes`: the interactions are recorded only along with another change (default `all`). */
  recordInteractions?: 'changes' | 'all';
}

/**
 * The state moves a transaction of each type may make: those commercetools accepts, narrowed to
 * the order in which Stripe's objects move. A write planned from an older Stripe state (a slow
 * request, another replica) can then never undo a newer one: an authorization or a capture that
 * succeeded stays succeeded, a refund that failed stays failed. Two moves go "back" on purpose:
 * an Authorization from Failure to Success (the shopper's next attempt succeeded) and a Refund
 * from Success to Failure (Stripe refunds can fail after they succeeded).
 */
const FORWARD: Record<TxType, Partial<Record<TxState, readonly TxState[]>>> = {
  Authorization: { Initial: ['Pending', 'Success', 'Failure'], Pending: ['Success', 'Failure'], Failure: ['Success'] },
  Charge: { Initial: ['Pending', 'Success', 'Failure'], Pending: ['Success', 'Failure'] },
  CancelAuthorization: { Initial: ['Pending', 'Success', 'Failure'], Pending: ['Success', 'Failure'] },
  Refund: { Initial: ['Pending', 'Success', 'Failure'], Pending: ['Success', 'Failure'], Success: ['Failure'] },
  Chargeback: { Initial: ['Pending', 'Success', 'Failure'], Pending: ['Success', 'Failure'] },
};

export function canMove(type: TxType, from: string, to: TxState): boolean {
  return from === to || (FORWARD[type][from as TxState]?.includes(to) ?? false);
}

/**
 * The transaction that records `desired`: same type, interaction id and amount. commercetools
 * cannot change a transaction's amount, so an attempt at another amount (the cart changed between
 * a declined attempt and a successful one) is another transaction.
 */
function findExisting(payment: Payment, desired: DesiredCtTransaction): Transaction | undefined {
  const sameType = payment.transactions.filter(
    (t) => t.type === desired.type && t.amount.centAmount === desired.centAmount,
  );
  const exact = sameType.find((t) => t.interactionId === desired.interactionId);
  if (exact) return exact;
  // An Authorization created with the payment, before the PaymentIntent (and so its id) existed:
  // the one Initial Authorization without an interaction id.
  if (desired.type === 'Authorization') {
    return sameType.find((t) => !t.interactionId && t.state === 'Initial');
  }
  return undefined;
}

/**
 * The update actions that make the commercetools payment match what Stripe says, and nothing
 * else: an empty list when they already agree. Amounts of existing transactions are never
 * changed (commercetools cannot); a state move commercetools refuses is skipped.
 */
export function planPaymentActions(
  payment: Payment,
  desired: readonly DesiredCtTransaction[],
  facts: PaymentFacts,
  now: () => string = () => new Date().toISOString(),
): PaymentUpdateAction[] {
  // A payment never changes its PaymentIntent: the one linked first is the one whose client secret
  // was handed out. Planning another's money onto it would misreport both.
  if (payment.interfaceId && payment.interfaceId !== facts.interfaceId) {
    throw new Error(
      `Planned ${facts.interfaceId} for payment ${payment.id}, which is linked to ${payment.interfaceId}.`,
    );
  }
  const actions: PaymentUpdateAction[] = [];
  if (!payment.interfaceId) actions.push({ action: 'setInterfaceId', interfaceId: facts.interfaceId });
  // A PaymentIntent never leaves `succeeded` or `canceled`: a plan from an older read must not
  // show an earlier status again.
  const final = ['succeeded', 'canceled'].includes(payment.paymentStatus?.interfaceCode ?? '');
  if (facts.statusCode && !final && payment.paymentStatus?.interfaceCode !== facts.statusCode) {
    actions.push({ action: 'setStatusInterfaceCode', interfaceCode: facts.statusCode });
  }
  if (facts.method && payment.paymentMethodInfo?.method !== facts.method) {
    actions.push({ action: 'setMethodInfoMethod', method: facts.method });
  }

  if (facts.card) {
    const current =
      (payment.paymentMethodInfo as { custom?: { fields?: Record<string, unknown> } }).custom?.fields ?? {};
    const wanted = facts.card.fields;
    if (
      current.brand !== wanted.brand ||
      current.lastFour !== wanted.lastFour ||
      current.expiryMonth !== wanted.expiryMonth ||
      current.expiryYear !== wanted.expiryYear
    ) {
      actions.push({
        action: 'setMethodInfoCustomType',
        type: { typeId: 'type', key: facts.card.typeKey },
        fields: { ...wanted },
      });
    }
  }
  const currencyCode = payment.amountPlanned.currencyCode;
  for (const wanted of desired) {
    for (const tx of wanted.cumulative ? cumulativeAdditions(payment, wanted) : [wanted]) {
      const existing = findExisting(payment, tx);
      if (!existing) {
        actions.push({
          action: 'addTransaction',
          transaction: {
            type: tx.type,
            state: tx.state,
            amount: { centAmount: tx.centAmount, currencyCode },
            interactionId: tx.interactionId,
            timestamp: now(),
          },
        });
        continue;
      }
      if (existing.interactionId !== tx.interactionId) {
        actions.push({
          action: 'changeTransactionInteractionId',
          transactionId: existing.id,
          interactionId: tx.interactionId,
        });
      }
      if (existing.state !== tx.state && canMove(tx.type, existing.state, tx.state)) {
        actions.push({ action: 'changeTransactionState', transactionId: existing.id, state: tx.state });
      }
    }
  }
  if (facts.recordInteractions === 'changes' && actions.length === 0) return actions;
  const recorded = new Set(payment.interfaceInteractions.map((i) => i.fields?.interactionId as unknown));
  for (const interaction of facts.interactions ?? []) {
    const id = interaction.fields.interactionId;
    if (recorded.has(id)) continue;
    recorded.add(id);
    actions.push({
      action: 'addInterfaceInteraction',
      type: { typeId: 'type', key: interaction.typeKey },
      fields: { ...interaction.fields },
    });
  }
  return actions;
}
