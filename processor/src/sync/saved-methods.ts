import type { Payment, PaymentMethod } from '@commercetools/platform-sdk';
import { isDuplicateKey } from '../commercetools/port';
import { CardDetailsTypeKey, PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import { METADATA, PAYMENT_INTERFACE } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import { cardDetails } from './apply';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';

/** The commercetools key of the payment method that holds a Stripe PaymentMethod: one per PaymentMethod. */
export const paymentMethodKey = (stripePaymentMethodId: string) => `stripe-${stripePaymentMethodId}`;

const BRANDS: Record<string, string> = {
  amex: 'American Express',
  diners: 'Diners Club',
  discover: 'Discover',
  jcb: 'JCB',
  mastercard: 'Mastercard',
  unionpay: 'UnionPay',
  visa: 'Visa',
};

/** What the shopper sees for a saved card, e.g. `Visa •••• 4242`. */
export function cardName(card: { brand?: string; lastFour?: string }): string {
  const brand = card.brand ? (BRANDS[card.brand] ?? card.brand) : 'Card';
  return card.lastFour ? `${brand} •••• ${card.lastFour}` : brand;
}

export const tokenPredicate = (customerId: string, token: string) =>
  `customer(id="${customerId.replace(/"/g, '')}") and paymentInterface="${PAYMENT_INTERFACE}" and token(value="${token.replace(/"/g, '')}")`;

/**
 * After a payment that saved its method (`setup_future_usage: off_session`, a customer, a success
 * at Stripe), the commercetools payment method of the customer for it, made once: looked up by
 * token first, created under a key made of the Stripe PaymentMethod id (a concurrent replica's
 * create is refused as a duplicate and the existing one is used). A recurring cart's payment then
 * gets its recurring payment job (`ensureRecurringJob`), whether the method is new or was saved
 * before. Failures are logged, never thrown: the money is recorded already, and the next sync of
 * the PaymentIntent (a webhook, confirm, reconcile) tries again.
 */
export async function ensureSavedPaymentMethod(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
): Promise<PaymentMethod | undefined> {
  if (!deps.config.stripe.savedPaymentMethods) return undefined;
  const pi = snapshot.paymentIntent;
  const customerId = pi.metadata[METADATA.customerId];
  const token = typeof pi.payment_method === 'string' ? pi.payment_method : pi.payment_method?.id;
  if (
    !customerId ||
    !token ||
    !pi.customer ||
    pi.setup_future_usage !== 'off_session' ||
    !['requires_capture', 'succeeded'].includes(pi.status) ||
    payment.customer?.id !== customerId
  ) {
    return undefined;
  }
  try {
    const method = await savedMethod(deps, payment, snapshot, customerId, token);
    if (method && pi.metadata[METADATA.recurring] === '1') await ensureRecurringJob(deps, payment, method);
    return method;
  } catch (error) {
    deps.log.warn(
      { paymentId: payment.id, paymentIntentId: pi.id, error: (error as Error).message },
      'the saved payment method could not be recorded in commercetools; the next sync tries again',
    );
    return undefined;
  }
}

async function savedMethod(
  deps: PaymentsDeps,
  payment: Payment,
  snapshot: PaymentIntentSnapshot,
  customerId: string,
  token: string,
): Promise<PaymentMethod | undefined> {
  const pi = snapshot.paymentIntent;
  const existing = await deps.ct.findPaymentMethods(tokenPredicate(customerId, token));
  if (existing[0]) return existing[0];
  // Not recorded yet, or deleted by the shopper since (which detaches it at Stripe first): a later
  // sync of the payment that saved it must not bring a deleted card back.
  const stripeCustomer = typeof pi.customer === 'string' ? pi.customer : pi.customer?.id;
  const attached = await deps.stripe.paymentMethods.retrieve(token);
  const holder = typeof attached.customer === 'string' ? attached.customer : attached.customer?.id;
  if (!stripeCustomer || holder !== stripeCustomer) {
    deps.log.info(
      { paymentId: payment.id, stripePaymentMethodId: token },
      'saved payment method no longer attached to the customer at Stripe (deleted): not recorded',
    );
    return undefined;
  }
  const card = cardDetails(snapshot) ?? {};
  const types = await deps.customTypes();
  const key = paymentMethodKey(token);
  let created: PaymentMethod;
  try {
    created = await deps.ct.createPaymentMethod({
      key,
      customer: { typeId: 'customer', id: customerId },
      paymentInterface: PAYMENT_INTERFACE,
      interfaceAccount: deps.config.stripe.publishableKey,
      method: 'card',
      name: { en: cardName(card) },
      token: { value: token },
      paymentMethodStatus: 'Active',
      default: false,
      ...(types.cardDetails && Object.keys(card).length > 0
        ? { custom: { type: { typeId: 'type', key: CardDetailsTypeKey }, fields: card } }
        : {}),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return (await deps.ct.findPaymentMethods(`key="${key}"`))[0];
  }
  deps.log.info(
    { paymentId: payment.id, paymentMethodId: created.id, stripePaymentMethodId: token },
    'payment method saved',
  );
  return created;
}

/** Interactions of the payment that record its recurring payment job: claims, then the job made. */
const JOB_INTERACTION = 'recurring-payment-job';
const JOB_DONE = `${JOB_INTERACTION}:done`;
/** A claim not followed by its job this long (its process died) may be taken over. */
export const JOB_CLAIM_MS = 5 * 60_000;

function jobRecord(payment: Payment): { done: boolean; claimedAt?: number } {
  let done = false;
  let claimedAt: number | undefined;
  for (const interaction of payment.interfaceInteractions ?? []) {
    const fields = interaction.fields ?? {};
    if (fields.type !== JOB_INTERACTION || typeof fields.interactionId !== 'string') continue;
    if (fields.interactionId === JOB_DONE) done = true;
    else if (typeof fields.createdAt === 'string') claimedAt = Math.max(claimedAt ?? 0, Date.parse(fields.createdAt));
  }
  return { done, ...(claimedAt !== undefined ? { claimedAt } : {}) };
}

/**
 * The recurring payment job of a recurring cart's payment, asked of the payments SDK once per
 * payment (it checks again that the cart recurs). Whoever records a claim on the payment first
 * (a version-guarded write, so one of the replicas syncing it) asks for the job and then records
 * it as done; a claim left without a job for `JOB_CLAIM_MS` (its process died, or the SDK failed)
 * is taken over by the next sync. Without the interface interaction type (post-deploy not run)
 * the payment cannot be marked, and no job is asked for: a warning says so.
 */
async function ensureRecurringJob(deps: PaymentsDeps, payment: Payment, method: PaymentMethod): Promise<void> {
  if (!deps.recurringJobs || jobRecord(payment).done) return;
  if (!(await deps.customTypes()).interactions) {
    deps.log.warn(
      { paymentId: payment.id },
      `no recurring payment job: the interface interaction type ${PaymentInterfaceInteractionTypeKey} is missing; run post-deploy`,
    );
    return;
  }
  const mark = (interactionId: string, response: Record<string, unknown>) => ({
    action: 'addInterfaceInteraction' as const,
    type: { typeId: 'type' as const, key: PaymentInterfaceInteractionTypeKey },
    fields: {
      interactionId,
      type: JOB_INTERACTION,
      createdAt: new Date().toISOString(),
      response: JSON.stringify(response),
    },
  });
  let claimed = false;
  const held = await deps.ct.updatePayment(payment, (current) => {
    // Planned again after a conflict: only the plan that was written holds the claim.
    claimed = false;
    const record = jobRecord(current);
    if (record.done || (record.claimedAt !== undefined && Date.now() - record.claimedAt < JOB_CLAIM_MS)) return [];
    claimed = true;
    return [mark(`${JOB_INTERACTION}:claim:${current.version}`, { paymentMethodId: method.id })];
  });
  if (!claimed) return;
  const job = await deps.recurringJobs.createRecurringPaymentJobIfApplicable({
    originPayment: { id: payment.id, typeId: 'payment' },
    paymentMethod: { id: method.id, typeId: 'payment-method' },
  });
  if (!job) return;
  await deps.ct.updatePayment(held, (current) =>
    jobRecord(current).done ? [] : [mark(JOB_DONE, { recurringPaymentJobId: job.id, paymentMethodId: method.id })],
  );
  deps.log.info(
    { paymentId: payment.id, paymentMethodId: method.id, recurringPaymentJobId: job.id },
    'recurring payment job created',
  );
}
