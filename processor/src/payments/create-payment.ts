import type { Cart, Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { expandedPayments, isTransactionPayment, plannedAmount } from '../commercetools/cart-amount';
import { isDuplicateKey } from '../commercetools/port';
import { digest } from '../core/digest';
import { conflict, invalidOperation, upstreamFailure } from '../core/errors';
import { fromStripeAmount, toStripeAmount } from '../core/money';
import { METADATA, namesPayment, PAYMENT_INTERFACE } from '../core/metadata';
import { type CheckoutContext } from './checkout-context';
import type { PaymentsDeps } from '../core/deps';
import { paymentMethodTypesFor } from './element-config';
import { shopperDetails } from './shopper-details';
import { present } from '../core/present';
import { savedMethodChoice, type SavedMethodChoice } from './saved-method-choice';

export interface CreatePaymentInput {
  /** The enabler component paying: `payment` (the Payment Element drop-in) or a method type. */
  paymentComponent?: string;
  /** Save the card the shopper pays with for later (off-session) payments. */
  storePaymentDetails?: boolean;
  /** Pay with this saved method: a commercetools payment method id of the cart's customer. */
  storedPaymentMethodId?: string;
}

export interface CreatePaymentResult {
  clientSecret: string;
  paymentReference: string;
  cartId: string;
  merchantReturnUrl: string;
  /** What the PaymentIntent asks, in Stripe's minor unit. */
  amount: number;
  currency: string;
}

/** PaymentIntent states in which the shopper has not paid yet, so it can be reused or changed. */
const REUSABLE: readonly Stripe.PaymentIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

/** Metadata key counting the connector's updates of a PaymentIntent (see `reuse`). */
const UPDATE_SEQ = 'ct_update_seq';

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/** Whether the payment ever took money, or is taking it (a released or refunded one included). */
function everApproved(payment: Payment): boolean {
  return payment.transactions.some(
    (t) => (t.type === 'Authorization' || t.type === 'Charge') && (t.state === 'Success' || t.state === 'Pending'),
  );
}

/** The newest of our payments on the cart that never took money: the one the shopper is paying. */
function openPayment(cart: Cart): Payment | undefined {
  return expandedPayments(cart)
    .filter((p) => p.interfaceId?.startsWith('pi_') && !everApproved(p) && !isTransactionPayment(p))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * Our payment on the cart for `amount` that names no PaymentIntent yet and never took money (its
 * key is the cart's id and a version), the newest: see `createOnce`.
 */
function unlinkedPayment(cart: Cart, amount: { centAmount: number; currencyCode: string }): Payment | undefined {
  return expandedPayments(cart)
    .filter(
      (p) =>
        !p.interfaceId &&
        p.key?.startsWith(`${cart.id}-`) &&
        !everApproved(p) &&
        p.amountPlanned.centAmount === amount.centAmount &&
        p.amountPlanned.currencyCode === amount.currencyCode,
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * `POST /payments`: the PaymentIntent and the commercetools payment for the session's cart.
 * Repeating it for the same cart reuses the open PaymentIntent (D17), updating its amount in
 * place when the cart total changed: afterwards the PaymentIntent asks exactly the cart's amount
 * to pay. Every Stripe write has an idempotency key unique to the change it makes and stable
 * across retries of it (D03), and the PaymentIntent carries the commercetools ids from its
 * creation call (D04). A request interrupted between its writes is finished by the next one.
 */
export async function createPayment(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  input: CreatePaymentInput,
): Promise<CreatePaymentResult> {
  const types = paymentMethodTypesFor(deps.config, input.paymentComponent ?? 'payment');
  const merchantReturnUrl = ctx.merchantReturnUrl ?? deps.config.merchantReturnUrl;
  let saved: SavedMethodChoice | undefined;
  // A second pass only when this one found a payment left behind by an interrupted request and
  // put it on the cart: the cart then shows it as the open payment.
  for (let pass = 1; ; pass++) {
    const cart = await deps.ct.getCartWithPayments(ctx.cartId);
    saved ??= await savedMethodChoice(deps, cart, input, types);
    const result = await createOnce(deps, ctx, cart, types, saved, pass < 3);
    if (result) return { ...result, cartId: cart.id, merchantReturnUrl };
  }
}

async function createOnce(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  cart: Cart,
  types: readonly string[],
  saved: SavedMethodChoice,
  mayAdopt: boolean,
): Promise<{ clientSecret: string; paymentReference: string; amount: number; currency: string } | undefined> {
  const { ct, stripe, config } = deps;
  if (cart.cartState !== 'Active') {
    throw invalidOperation(`The cart is ${cart.cartState} and cannot be paid.`);
  }
  const existing = openPayment(cart);
  const amount = plannedAmount(cart, existing?.id, ctx.giftCardPlannedAmount);
  const gift = ctx.giftCardPlannedAmount?.currencyCode === amount.currencyCode ? ctx.giftCardPlannedAmount : undefined;
  if (amount.centAmount <= 0) throw invalidOperation('The cart has already been paid in full.');
  const stripeAmount = toStripeAmount(amount);

  if (existing?.interfaceId) {
    const reused = await reuse(deps, existing, existing.interfaceId, stripeAmount, types, saved, ctx);
    if (reused) {
      deps.reads.rememberCheckout(existing.interfaceId, { paymentId: existing.id, cartId: cart.id });
      return { clientSecret: reused, paymentReference: existing.id, ...stripeAmount };
    }
  }

  // A payment of ours on the cart that names no PaymentIntent yet, for this amount: the request
  // that made it is linking it right now (the link and the cart update go out together), or was
  // interrupted. It is finished with the same parameters, hence the same idempotency key and
  // PaymentIntent, instead of a second payment being made.
  const pending = unlinkedPayment(cart, amount);
  // One payment per cart version, found by its key by a concurrent or interrupted request, which
  // finishes it; the PaymentIntent names it by that key (D04), so the two are made at once.
  const key = pending?.key ?? `${cart.id}-${cart.version}`;

  const params: Stripe.PaymentIntentCreateParams = {
    amount: stripeAmount.amount,
    currency: stripeAmount.currency,
    capture_method: config.stripe.captureMethod,
    ...(config.stripe.multicapture && config.stripe.captureMethod === 'manual'
      ? { payment_method_options: { card: { request_multicapture: 'if_available' as const } } }
      : {}),
    // API 2026-10-28: `allowed_payment_method_types` replaced `payment_method_types`.
    ...(types.length > 0
      ? { allowed_payment_method_types: [...types] as Stripe.PaymentIntentCreateParams['allowed_payment_method_types'] }
      : { automatic_payment_methods: { enabled: true } }),
    metadata: {
      [METADATA.paymentKey]: key,
      [METADATA.cartId]: cart.id,
      [METADATA.projectKey]: config.commercetools.projectKey,
      ...(ctx.checkoutTransactionItemId ? { [METADATA.checkoutTransactionItemId]: ctx.checkoutTransactionItemId } : {}),
      ...(ctx.futureOrderNumber ? { [METADATA.orderNumber]: ctx.futureOrderNumber } : {}),
      ...(gift ? { [METADATA.giftCardPlanned]: String(gift.centAmount) } : {}),
      ...(saved.ctCustomerId ? { [METADATA.customerId]: saved.ctCustomerId } : {}),
      ...(saved.recurring ? { [METADATA.recurring]: '1' } : {}),
    },
    ...present({
      customer: saved.customer,
      setup_future_usage: saved.setup_future_usage,
      payment_method: saved.payment_method,
    }),
    ...shopperDetails(cart),
  };
  // The same request (a retry, a concurrent twin) sends the same parameters: one PaymentIntent.
  // The customer, saving and stored method are parameters: another choice is another key. When
  // the payment cannot be made, the PaymentIntent is never handed out (nobody can confirm it) and
  // the retry, at the same cart version, gets it back.
  const [payment, paymentIntent] = await Promise.all([
    pending ?? paymentWithKey(deps, ctx, cart, amount, key),
    stripe.paymentIntents.create(params, { idempotencyKey: `ct-payment-key:${key}:create:${digest(params)}` }),
  ]);

  const onCart = expandedPayments(cart).some((p) => p.id === payment.id);
  if (payment.interfaceId) {
    // The payment of this cart version was made, and linked, by an earlier or concurrent request;
    // it may be paid by now (Stripe replays the creation, not the state). It goes on the cart, if
    // that request did not get there, and the next pass takes it through the checks of `reuse`.
    // A PaymentIntent made here for other parameters is never handed out.
    await Promise.all([
      payment.interfaceId === paymentIntent.id ? undefined : cancelUnlinked(deps, payment, paymentIntent),
      onCart ? undefined : ct.addPaymentToCart(cart, payment.id),
    ]);
    return nextPass(mayAdopt);
  }

  // The link and the cart update together: a concurrent request that sees the payment on the cart
  // before it names its PaymentIntent finishes it as its own (see `unlinkedPayment`) instead of
  // making another. A payment never changes its PaymentIntent: the one linked first wins.
  const [linked] = await Promise.all([
    ct.updatePayment(payment, (current) =>
      current.interfaceId
        ? []
        : [
            { action: 'setInterfaceId', interfaceId: paymentIntent.id },
            { action: 'setStatusInterfaceCode', interfaceCode: paymentIntent.status },
          ],
    ),
    onCart ? undefined : ct.addPaymentToCart(cart, payment.id),
  ]);
  if (linked.interfaceId !== paymentIntent.id) {
    // A concurrent request with other parameters linked its own: this one is never handed out,
    // and the next pass finds that one on the cart as the open payment.
    await cancelUnlinked(deps, payment, paymentIntent);
    return nextPass(mayAdopt);
  }
  if (replayed(paymentIntent)) {
    // Stripe answered with the creation an earlier or concurrent request made (same key and
    // parameters), not with the PaymentIntent as it is now: that request may have handed it out
    // and the shopper paid it meanwhile. The next pass reads it (`reuse`) before handing it out.
    return nextPass(mayAdopt);
  }
  // Its webhooks, when this process receives them, read the cart alongside Stripe.
  deps.reads.rememberCheckout(paymentIntent.id, { paymentId: payment.id, cartId: cart.id });
  deps.log.info(
    { paymentId: payment.id, paymentIntentId: paymentIntent.id, cartId: cart.id, amount: stripeAmount },
    'payment created',
  );
  return {
    clientSecret: requireSecret(paymentIntent),
    paymentReference: payment.id,
    amount: paymentIntent.amount,
    currency: paymentIntent.currency,
  };
}

/** Leaves the request to the next pass, which finds the payment on the cart; the last pass answers 409. */
function nextPass(mayAdopt: boolean): undefined {
  if (!mayAdopt) throw conflict('ConcurrentModification', 'The payment for this cart is being created; retry.');
  return undefined;
}

/** Whether Stripe replayed an earlier request's answer for this idempotency key (`Idempotent-Replayed`). */
const replayed = (answer: Stripe.Response<Stripe.PaymentIntent>): boolean =>
  answer.lastResponse?.headers?.['idempotent-replayed'] === 'true';

/** Cancels a PaymentIntent that lost the link to its payment: nobody ever gets its client secret. */
const cancelUnlinked = (deps: PaymentsDeps, payment: Payment, paymentIntent: Stripe.PaymentIntent) =>
  deps.stripe.paymentIntents.cancel(
    paymentIntent.id,
    { cancellation_reason: 'duplicate' },
    { idempotencyKey: `ct-payment:${payment.id}:cancel-unlinked:${paymentIntent.id}` },
  );

/** Creates the payment named `key`, or takes the one a concurrent or interrupted request made. */
async function paymentWithKey(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  cart: Cart,
  amount: { centAmount: number; currencyCode: string },
  key: string,
): Promise<Payment> {
  try {
    return await deps.ct.createPayment({
      key,
      amountPlanned: { centAmount: amount.centAmount, currencyCode: amount.currencyCode },
      paymentMethodInfo: { paymentInterface: ctx.paymentInterface ?? PAYMENT_INTERFACE },
      // commercetools Checkout finds its transaction item's payment by this field.
      ...(ctx.checkoutTransactionItemId ? { checkoutTransactionItemId: ctx.checkoutTransactionItemId } : {}),
      ...(cart.customerId ? { customer: { typeId: 'customer', id: cart.customerId } } : {}),
      ...(!cart.customerId && cart.anonymousId ? { anonymousId: cart.anonymousId } : {}),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    // It may already name its PaymentIntent (ours, from the same parameters, or another one):
    // the link below tells which, and puts it on the cart either way.
    return deps.ct.getPaymentByKey(key);
  }
}

function requireSecret(paymentIntent: Stripe.PaymentIntent): string {
  if (!paymentIntent.client_secret) throw upstreamFailure('Stripe returned no client secret.');
  return paymentIntent.client_secret;
}

/**
 * Reuses the open PaymentIntent of the cart when the shopper has not paid it yet, bringing its
 * amount and method types, and the payment's planned amount, to what the cart asks now. Each of
 * the two is checked on its own, so a retry after a half-applied update finishes it. Answers
 * undefined when a new PaymentIntent must be made.
 *
 * The PaymentIntent carries a counter of the connector's updates (`ct_update_seq`), and the key
 * of an update names the counter it moves to and the parameters: a later change can never
 * replay an earlier one (A→B, B→A, A→B again are three keys), while a retry of the same change
 * from the same state sends the same key.
 */
async function reuse(
  deps: PaymentsDeps,
  payment: Payment,
  paymentIntentId: string,
  target: { amount: number; currency: string },
  types: readonly string[],
  saved: SavedMethodChoice,
  ctx: CheckoutContext,
): Promise<string | undefined> {
  const { stripe, ct } = deps;
  const paymentIntent = await stripe.paymentIntents.retrieve(paymentIntentId);
  if (!namesPayment(paymentIntent.metadata, payment) || paymentIntent.metadata[METADATA.cartId] !== ctx.cartId) {
    return undefined;
  }
  if (!REUSABLE.includes(paymentIntent.status)) {
    if (paymentIntent.status === 'canceled') return undefined;
    throw conflict('InvalidOperation', 'A payment for this cart is already being processed.', {
      paymentReference: payment.id,
    });
  }
  if (paymentIntent.currency !== target.currency) return undefined;

  const wantsAutomatic = types.length === 0;
  const isAutomatic = paymentIntent.automatic_payment_methods?.enabled === true;
  const currentCustomer =
    typeof paymentIntent.customer === 'string' ? paymentIntent.customer : (paymentIntent.customer?.id ?? undefined);
  // A customer or saving that this request does not want cannot be taken off a PaymentIntent.
  const otherSaving =
    (currentCustomer !== undefined && currentCustomer !== saved.customer) ||
    ((paymentIntent.setup_future_usage ?? undefined) !== undefined &&
      paymentIntent.setup_future_usage !== saved.setup_future_usage);
  if (wantsAutomatic !== isAutomatic || otherSaving) {
    // Automatic payment methods cannot be switched on or off after creation: this PaymentIntent
    // is abandoned for a new one.
    await stripe.paymentIntents.cancel(
      paymentIntent.id,
      { cancellation_reason: 'abandoned' },
      { idempotencyKey: `ct-payment:${payment.id}:cancel-abandoned` },
    );
    return undefined;
  }

  const centAmount = fromStripeAmount(target.amount, target.currency, payment.amountPlanned.fractionDigits).centAmount;
  const planned =
    payment.amountPlanned.centAmount === centAmount
      ? Promise.resolve(payment)
      : ct.updatePayment(payment, (current) =>
          current.amountPlanned.centAmount === centAmount
            ? []
            : [
                {
                  action: 'changeAmountPlanned',
                  amount: { centAmount, currencyCode: current.amountPlanned.currencyCode },
                },
              ],
        );

  const update: Stripe.PaymentIntentUpdateParams = {};
  if (paymentIntent.amount !== target.amount) update.amount = target.amount;
  if (
    !wantsAutomatic &&
    !sameTypes(paymentIntent.allowed_payment_method_types ?? paymentIntent.payment_method_types, types)
  ) {
    update.allowed_payment_method_types = [
      ...types,
    ] as Stripe.PaymentIntentUpdateParams['allowed_payment_method_types'];
  }
  if (saved.customer && currentCustomer !== saved.customer) update.customer = saved.customer;
  if (saved.setup_future_usage && paymentIntent.setup_future_usage !== saved.setup_future_usage)
    update.setup_future_usage = saved.setup_future_usage;
  const currentMethod =
    typeof paymentIntent.payment_method === 'string' ? paymentIntent.payment_method : paymentIntent.payment_method?.id;
  if (saved.payment_method && currentMethod !== saved.payment_method) update.payment_method = saved.payment_method;
  // The cart may have started or stopped recurring since: the flag follows it ('' removes it).
  const recurringFlag = saved.recurring ? '1' : '';
  const flagChanged = (paymentIntent.metadata[METADATA.recurring] ?? '') !== recurringFlag;
  if (Object.keys(update).length === 0 && !flagChanged) {
    await planned;
    return requireSecret(paymentIntent);
  }
  const seq = Number(paymentIntent.metadata[UPDATE_SEQ] ?? 0) + 1;
  const params = {
    ...update,
    metadata: {
      [UPDATE_SEQ]: String(seq),
      ...(saved.ctCustomerId ? { [METADATA.customerId]: saved.ctCustomerId } : {}),
      ...(flagChanged ? { [METADATA.recurring]: recurringFlag } : {}),
    },
  };
  const [updated] = await Promise.all([
    stripe.paymentIntents.update(paymentIntent.id, params, {
      idempotencyKey: `ct-payment:${payment.id}:update:${seq}:${digest(params)}`,
    }),
    planned,
  ]);
  if (updated.amount !== target.amount) {
    throw conflict('ConcurrentModification', 'The payment was changed by another request meanwhile; retry.');
  }
  deps.log.info(
    {
      paymentId: payment.id,
      paymentIntentId: paymentIntent.id,
      from: paymentIntent.amount,
      to: target.amount,
      changed: Object.keys(update),
    },
    'open payment intent reused and updated',
  );
  return requireSecret(updated);
}
