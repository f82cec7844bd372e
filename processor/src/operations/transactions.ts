import type { Cart, Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { amountToPay } from '../commercetools/cart-amount';
import { isDuplicateKey, statusOf } from '../commercetools/port';
import { digest } from '../core/digest';
import { conflict, invalidInput, invalidOperation } from '../core/errors';
import { METADATA } from '../core/metadata';
import { toStripeAmount, type CtMoney } from '../core/money';
import { present } from '../core/present';
import type { PaymentsDeps } from '../core/deps';
import { storedMethodToken } from '../payments/create-payment';
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

/**
 * The key of the commercetools payment of a transaction request: one payment per intended
 * charge. Made of the cart, the Checkout transaction item, the stored method, the amount asked
 * (none: what is left to pay) and the caller's `Idempotency-Key` (none: the body alone), so a
 * repeat of the request finds the payment and its PaymentIntent instead of charging again.
 */
export function transactionPaymentKey(draft: TransactionDraft, idempotencyKey: string | undefined): string {
  return `ct-tx-${digest({
    cartId: draft.cartId,
    checkoutTransactionItemId: draft.checkoutTransactionItemId,
    paymentMethodId: draft.paymentMethod?.id ?? null,
    amount: draft.amount ?? null,
    idempotencyKey: idempotencyKey ?? null,
  })}`;
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

/** The amount to charge: the one asked (same currency, at most what is left to pay) or what is left. */
function amountFor(cart: Cart, asked: TransactionDraft['amount']): CtMoney {
  const due = amountToPay(cart);
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
  let payment = await paymentByKey(deps, key);
  const repeat = payment !== undefined;
  if (!payment) {
    if (cart.cartState !== 'Active') throw invalidOperation(`The cart is ${cart.cartState} and cannot be paid.`);
    const amount = amountFor(cart, draft.amount);
    try {
      payment = await ct.createPayment({
        key,
        amountPlanned: { centAmount: amount.centAmount, currencyCode: amount.currencyCode },
        paymentMethodInfo: { paymentInterface: draft.paymentInterface, method: 'card' },
        // commercetools Checkout finds its transaction item's payment by this field.
        checkoutTransactionItemId: draft.checkoutTransactionItemId,
        customer: { typeId: 'customer', id: cart.customerId },
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      payment = await ct.getPaymentByKey(key);
    }
  }

  const paymentIntent = payment.interfaceId?.startsWith('pi_')
    ? await stripe.paymentIntents.retrieve(payment.interfaceId)
    : await charge(deps, cart, payment, draft, token, repeat);
  if ('refusal' in paymentIntent) {
    deps.log.info(
      { paymentId: payment.id, cartId: cart.id, code: paymentIntent.code },
      'transaction refused by Stripe',
    );
    return { transactionStatus: failed(paymentIntent.refusal), paymentReference: payment.id };
  }

  // Linked before it is on the cart, as POST /payments does; a payment never changes its PaymentIntent.
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
  if (!(cart.paymentInfo?.payments ?? []).some((p) => p.id === payment.id)) {
    await ct.addPaymentToCart(cart, payment.id);
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
    // The payment is one per intended charge: its id and the parameters make the key.
    return await stripe.paymentIntents.create(params, {
      idempotencyKey: `ct-transaction:${payment.id}:create:${digest(params)}`,
    });
  } catch (error) {
    const kind = classifyStripeError(error);
    if (!isStripeError(error) || (kind !== 'refused' && kind !== 'not-found')) throw error;
    const made = (error.raw as { payment_intent?: Stripe.PaymentIntent } | undefined)?.payment_intent;
    if (made?.id) return made;
    const code = error.code ?? error.type;
    return { refusal: `${code}: ${error.message}`, code };
  }
}
