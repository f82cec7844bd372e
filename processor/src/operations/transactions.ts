import type { Cart, Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { leftForTransaction, TRANSACTION_PAYMENT_KEY_PREFIX } from '../commercetools/cart-amount';
import { PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import { isConflict, isDuplicateKey, statusOf } from '../commercetools/port';
import { digest } from '../core/digest';
import { conflict, invalidInput, invalidOperation, retryLater } from '../core/errors';
import { METADATA } from '../core/metadata';
import { toStripeAmount, type CtMoney } from '../core/money';
import { present } from '../core/present';
import type { PaymentsDeps } from '../core/deps';
import { storedMethodToken } from '../payments/saved-method-choice';
import { savedMethodsApply, stripeCustomerFor } from '../payments/stripe-customer';
import { classifyStripeError, isStripeError } from '../stripe/errors';
import { syncPaymentIntent } from '../sync/sync-payment-intent';
import { checkIdempotencyKey } from './requests';

/** The body of `POST /operations/transactions`, as commercetools Checkout sends it. */
export interface TransactionDraft {
  cartId: string;
  paymentInterface: string;
  checkoutTransactionItemId: string;
  amount?: { centAmount: number; currencyCode: string };
  futureOrderNumber?: string;
  paymentMethod?: { id: string };
  type?: 'StoredPaymentMethodPurchase';
}

export type TransactionState = 'Completed' | 'Failed' | 'Pending';

export interface TransactionResult {
  transactionStatus: { state: TransactionState; errors: { code: 'PaymentRejected'; message: string }[] };
  /** The commercetools payment recording the charge. */
  paymentReference?: string;
}

/** Stripe keeps idempotency keys 24 hours; past this age an unlinked payment is looked up first. */
const KEY_LIFETIME_MS = 23 * 3_600_000;

/** What a transaction request asks: two requests asking the same are one charge. */
function requestBody(draft: TransactionDraft) {
  return {
    cartId: draft.cartId,
    checkoutTransactionItemId: draft.checkoutTransactionItemId,
    paymentMethodId: draft.paymentMethod?.id ?? null,
    amount: draft.amount ?? null,
  };
}

/**
 * The key of the commercetools payment of a transaction request: one payment per intended
 * charge. With the caller's `Idempotency-Key`, that key alone (a reuse with another body is then
 * found and refused, see `REQUEST_INTERACTION`); without, the body: the cart, the Checkout
 * transaction item, the stored method and the amount asked (none: what is left to pay). A repeat
 * of the request finds the payment and its PaymentIntent instead of charging again.
 */
export function transactionPaymentKey(draft: TransactionDraft, idempotencyKey: string | undefined): string {
  return idempotencyKey !== undefined
    ? `${TRANSACTION_PAYMENT_KEY_PREFIX}k-${digest({ idempotencyKey })}`
    : `${TRANSACTION_PAYMENT_KEY_PREFIX}${digest({ ...requestBody(draft), idempotencyKey: null })}`;
}

/** The interaction, written with the payment, that keeps the fingerprint of a keyed request's body. */
const REQUEST_INTERACTION = 'transaction-request';

/** The fingerprint of the whole body (the order number too: it goes to Stripe with the charge). */
const bodyFingerprint = (draft: TransactionDraft) =>
  digest({ ...requestBody(draft), futureOrderNumber: draft.futureOrderNumber ?? null });

function recordedFingerprint(payment: Payment): string | undefined {
  for (const interaction of payment.interfaceInteractions ?? []) {
    const fields = interaction.fields ?? {};
    if (fields.type === REQUEST_INTERACTION && typeof fields.request === 'string') {
      try {
        return (JSON.parse(fields.request) as { body?: string }).body;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

async function paymentByKey(deps: PaymentsDeps, key: string): Promise<Payment | undefined> {
  try {
    return await deps.ct.getPaymentByKey(key);
  } catch (error) {
    if (statusOf(error) === 404) return undefined;
    throw error;
  }
}

async function cartOf(deps: PaymentsDeps, cartId: string): Promise<Cart> {
  try {
    return await deps.ct.getCartWithPayments(cartId);
  } catch (error) {
    if (statusOf(error) === 404) throw invalidInput('cartId is not a cart of this project.');
    throw error;
  }
}

/**
 * The amount to charge: the one asked (same currency, at most what is left) or what is left, where
 * what is left counts the other transactions' charges still in flight on the cart.
 */
function amountFor(cart: Cart, asked: TransactionDraft['amount'], paymentId?: string): CtMoney {
  const due = leftForTransaction(cart, paymentId);
  if (!asked) {
    if (due.centAmount <= 0) throw invalidOperation('The cart has already been paid in full.');
    return due;
  }
  if (asked.currencyCode !== due.currencyCode) {
    throw invalidInput(`amount.currencyCode must be the cart's currency, ${due.currencyCode}.`);
  }
  if (asked.centAmount <= 0) throw invalidInput('amount.centAmount must be more than 0.');
  if (asked.centAmount > due.centAmount) {
    throw invalidInput(`amount is more than is left to pay on the cart (${due.centAmount} ${due.currencyCode}).`);
  }
  return { ...due, centAmount: asked.centAmount };
}

const onCart = (cart: Cart, paymentId: string) => (cart.paymentInfo?.payments ?? []).some((p) => p.id === paymentId);

/**
 * Puts the transaction's payment on the cart before Stripe is asked, at the version of the cart
 * its amount was checked against: two transaction items charged at once cannot both fit in what
 * one of them leaves, because the second write conflicts and is checked again with the first
 * payment on the cart. A payment that no longer fits is refused (400) and never charged; a repeat
 * of its request later checks again.
 */
async function reserve(deps: PaymentsDeps, first: Cart, payment: Payment): Promise<void> {
  let cart = first;
  for (let attempt = 1; ; attempt++) {
    if (onCart(cart, payment.id)) return;
    if (!payment.interfaceId) {
      if (cart.cartState !== 'Active') throw invalidOperation(`The cart is ${cart.cartState} and cannot be paid.`);
      // Refused (400) when the payment's amount no longer fits in what is left.
      amountFor(cart, payment.amountPlanned, payment.id);
    }
    try {
      await deps.ct.addPaymentToCartAt(cart, payment.id);
      return;
    } catch (error) {
      if (!isConflict(error) || attempt >= 6) throw error;
      cart = await cartOf(deps, cart.id);
    }
  }
}

function failed(message: string): TransactionResult['transactionStatus'] {
  return { state: 'Failed', errors: [{ code: 'PaymentRejected', message }] };
}

/** What Checkout is told about the PaymentIntent the request made. */
export function transactionStatus(pi: Stripe.PaymentIntent): TransactionResult['transactionStatus'] {
  switch (pi.status) {
    case 'succeeded':
    case 'requires_capture':
      return { state: 'Completed', errors: [] };
    case 'processing':
      return { state: 'Pending', errors: [] };
    default: {
      const error = pi.last_payment_error;
      return failed(
        error
          ? `${error.code ?? error.type}: ${error.message ?? 'the payment was declined.'}`
          : `The payment is ${pi.status}.`,
      );
    }
  }
}

/**
 * `POST /operations/transactions`: commercetools Checkout charges a stored payment method of the
 * cart's customer without the shopper (a recurring order, a stored-method purchase). Makes the
 * commercetools payment (keyed by `transactionPaymentKey`) and an off-session PaymentIntent
 * confirmed at once, keyed by the payment and the parameters; records the outcome through the
 * sync and answers Completed, Pending or Failed. A repeat of the request finds the payment and
 * answers from its PaymentIntent: the card is charged once.
 */
export async function createTransaction(
  deps: PaymentsDeps,
  draft: TransactionDraft,
  options: { idempotencyKey?: string } = {},
): Promise<TransactionResult> {
  const { ct, stripe, config } = deps;
  checkIdempotencyKey(options.idempotencyKey);
  const methodId = draft.paymentMethod?.id;
  if (methodId === undefined) {
    throw invalidInput('paymentMethod.id is required: this connector charges a stored payment method.');
  }
  const cart = await cartOf(deps, draft.cartId);
  if (!savedMethodsApply(deps, cart)) {
    throw invalidInput(
      config.stripe.savedPaymentMethods
        ? 'The cart has no customer: only a customer has stored payment methods.'
        : 'Stored payment methods are off (STRIPE_SAVED_PAYMENT_METHODS).',
    );
  }
  const token = await storedMethodToken(deps, cart.customerId, methodId, 'paymentMethod.id');

  const key = transactionPaymentKey(draft, options.idempotencyKey);
  const keyed = options.idempotencyKey !== undefined;
  let payment = await paymentByKey(deps, key);
  if (payment && keyed && recordedFingerprint(payment) !== bodyFingerprint(draft)) {
    throw invalidInput('This Idempotency-Key was sent with another request body: a new transaction needs a new key.');
  }
  const repeat = payment !== undefined;
  if (!payment) {
    if (cart.cartState !== 'Active') throw invalidOperation(`The cart is ${cart.cartState} and cannot be paid.`);
    const amount = amountFor(cart, draft.amount);
    if (keyed && !(await deps.customTypes()).interactions) {
      throw retryLater(
        `Keyed transactions are recorded with the interface interaction type ${PaymentInterfaceInteractionTypeKey}, which is missing: run post-deploy.`,
      );
    }
    try {
      payment = await ct.createPayment({
        key,
        amountPlanned: { centAmount: amount.centAmount, currencyCode: amount.currencyCode },
        paymentMethodInfo: { paymentInterface: draft.paymentInterface, method: 'card' },
        // commercetools Checkout finds its transaction item's payment by this field.
        checkoutTransactionItemId: draft.checkoutTransactionItemId,
        customer: { typeId: 'customer', id: cart.customerId },
        ...(keyed
          ? {
              interfaceInteractions: [
                {
                  type: { typeId: 'type', key: PaymentInterfaceInteractionTypeKey },
                  fields: {
                    interactionId: REQUEST_INTERACTION,
                    type: REQUEST_INTERACTION,
                    createdAt: new Date().toISOString(),
                    request: JSON.stringify({ body: bodyFingerprint(draft) }),
                  },
                },
              ],
            }
          : {}),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      payment = await ct.getPaymentByKey(key);
      if (keyed && recordedFingerprint(payment) !== bodyFingerprint(draft)) {
        throw invalidInput(
          'This Idempotency-Key was sent with another request body: a new transaction needs a new key.',
        );
      }
    }
  }
  await reserve(deps, cart, payment);

  const paymentIntent = payment.interfaceId?.startsWith('pi_')
    ? await stripe.paymentIntents.retrieve(payment.interfaceId)
    : await charge(deps, cart, payment, draft, token, repeat);
  if ('refusal' in paymentIntent) {
    deps.log.info(
      { paymentId: payment.id, cartId: cart.id, code: paymentIntent.code },
      'transaction refused by Stripe',
    );
    // No PaymentIntent to sync: the failure is recorded here, so that the payment no longer
    // counts as a charge in flight on the cart.
    await ct.updatePayment(payment, (current) =>
      current.transactions.some((t) => t.state === 'Failure')
        ? []
        : [
            {
              action: 'addTransaction',
              transaction: {
                type: config.stripe.captureMethod === 'manual' ? 'Authorization' : 'Charge',
                amount: {
                  centAmount: current.amountPlanned.centAmount,
                  currencyCode: current.amountPlanned.currencyCode,
                },
                state: 'Failure',
                timestamp: new Date().toISOString(),
              },
            },
          ],
    );
    return { transactionStatus: failed(paymentIntent.refusal), paymentReference: payment.id };
  }

  // A payment never changes its PaymentIntent.
  const linked = await ct.updatePayment(payment, (current) =>
    current.interfaceId
      ? []
      : [
          { action: 'setInterfaceId', interfaceId: paymentIntent.id },
          { action: 'setStatusInterfaceCode', interfaceCode: paymentIntent.status },
        ],
  );
  if (linked.interfaceId !== paymentIntent.id) {
    throw conflict('ConcurrentModification', 'The payment of this transaction is being created; retry.');
  }
  await syncPaymentIntent(deps, paymentIntent.id);
  const answer = transactionStatus(paymentIntent);
  deps.log.info(
    { paymentId: payment.id, paymentIntentId: paymentIntent.id, cartId: cart.id, state: answer.state },
    'transaction charged off-session',
  );
  return { transactionStatus: answer, paymentReference: payment.id };
}

/**
 * The PaymentIntent made for the payment, from the Stripe customer's list (read consistently,
 * newest first; a transaction's repeat comes soon after its first attempt).
 */
async function madeFor(
  deps: PaymentsDeps,
  payment: Payment,
  customer: string,
): Promise<Stripe.PaymentIntent | undefined> {
  const listed = await deps.stripe.paymentIntents.list({ customer, limit: 100 });
  return listed.data.find(
    (pi) =>
      pi.metadata[METADATA.paymentId] === payment.id &&
      pi.metadata[METADATA.projectKey] === deps.config.commercetools.projectKey,
  );
}

/**
 * The off-session PaymentIntent of the payment, confirmed in its creation call. Stripe's refusal
 * of the card (a decline, `authentication_required`) still makes the PaymentIntent, which the
 * error carries: it is the answer. A refusal without one (the method is gone) is answered as is.
 */
async function charge(
  deps: PaymentsDeps,
  cart: Cart & { customerId: string },
  payment: Payment,
  draft: TransactionDraft,
  token: string,
  repeat: boolean,
): Promise<Stripe.PaymentIntent | { refusal: string; code: string }> {
  const { stripe, config } = deps;
  if (repeat && Date.now() - Date.parse(payment.createdAt) > KEY_LIFETIME_MS) {
    // Stripe may have forgotten the creation's key: a PaymentIntent made for this payment wins.
    const found = await stripe.paymentIntents.search({
      query: `metadata['${METADATA.paymentId}']:'${payment.id}'`,
    });
    const made = found.data.find((pi) => pi.metadata[METADATA.projectKey] === config.commercetools.projectKey);
    if (made) return made;
  }
  const customer = await stripeCustomerFor(deps, cart.customerId);
  const stripeAmount = toStripeAmount(payment.amountPlanned);
  const params: Stripe.PaymentIntentCreateParams = {
    amount: stripeAmount.amount,
    currency: stripeAmount.currency,
    capture_method: config.stripe.captureMethod,
    allowed_payment_method_types: ['card'],
    customer,
    payment_method: token,
    off_session: true,
    confirm: true,
    metadata: {
      [METADATA.paymentId]: payment.id,
      [METADATA.cartId]: cart.id,
      [METADATA.projectKey]: config.commercetools.projectKey,
      [METADATA.checkoutTransactionItemId]: draft.checkoutTransactionItemId,
      [METADATA.customerId]: cart.customerId,
      ...present({ [METADATA.orderNumber]: draft.futureOrderNumber }),
      // The part of the cart Checkout asked for: the cart's coverage check lets it stand.
      ...(draft.amount ? { [METADATA.amountAsked]: String(payment.amountPlanned.centAmount) } : {}),
    },
  };
  try {
    // The payment is one per intended charge, and so is its PaymentIntent: the key is the
    // payment's alone. A repeat whose parameters differ (a replica configured otherwise during a
    // deploy, another order number without a key) must find the charge made, not make another.
    return await stripe.paymentIntents.create(params, { idempotencyKey: `ct-transaction:${payment.id}:create` });
  } catch (error) {
    if (isStripeError(error) && error.type === 'StripeIdempotencyError' && error.statusCode === 400) {
      const made = await madeFor(deps, payment, customer);
      if (made) return made;
      throw retryLater('The charge of this transaction was made with other parameters and is not found yet; retry.');
    }
    const kind = classifyStripeError(error);
    if (!isStripeError(error) || (kind !== 'refused' && kind !== 'not-found')) throw error;
    const made = (error.raw as { payment_intent?: Stripe.PaymentIntent } | undefined)?.payment_intent;
    if (made?.id) return made;
    const code = error.code ?? error.type;
    return { refusal: `${code}: ${error.message}`, code };
  }
}
