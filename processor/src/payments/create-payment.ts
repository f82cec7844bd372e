import type { Cart, Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { amountToPay, expandedPayments, isPaymentApproved } from '../commercetools/cart-amount';
import { AppError, conflict } from '../errors/app-error';
import { fromStripeAmount, toStripeAmount } from '../stripe/money';
import { METADATA, PAYMENT_INTERFACE, type CheckoutContext } from './checkout-context';
import type { PaymentsDeps } from './deps';
import { paymentMethodTypesFor } from './element-config';

export interface CreatePaymentInput {
  /** The enabler component paying: `payment` (the Payment Element drop-in) or a method type. */
  paymentComponent?: string;
}

export interface CreatePaymentResult {
  clientSecret: string;
  paymentReference: string;
  cartId: string;
  merchantReturnUrl: string;
}

/** A payment without a PaymentIntent this old was left by a failed attempt, not one in progress. */
const ADOPT_AFTER_MS = 30_000;

/** PaymentIntent states in which the shopper has not paid yet, so it can be reused or changed. */
const REUSABLE: readonly Stripe.PaymentIntent.Status[] = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
];

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join(',') === [...b].sort().join(',');
}

/** The newest of our payments on the cart that has not taken money yet. */
function openPayment(cart: Cart): Payment | undefined {
  return expandedPayments(cart)
    .filter((p) => p.interfaceId?.startsWith('pi_') && !isPaymentApproved(p))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

function shippingOf(cart: Cart): Stripe.PaymentIntentCreateParams.Shipping | undefined {
  const address = cart.shippingAddress;
  if (!address?.country) return undefined;
  const name = [address.firstName, address.lastName].filter(Boolean).join(' ') || address.company || 'Shopper';
  return {
    name,
    ...(address.phone ? { phone: address.phone } : {}),
    address: {
      line1: [address.streetName, address.streetNumber].filter(Boolean).join(' ') || undefined,
      line2: address.additionalStreetInfo || undefined,
      postal_code: address.postalCode || undefined,
      city: address.city || undefined,
      state: address.state || undefined,
      country: address.country,
    } as Stripe.AddressParam,
  };
}

/**
 * `POST /payments`: the PaymentIntent and the commercetools payment for the session's cart.
 * Repeating it for the same cart reuses the open PaymentIntent (D17), updating its amount in
 * place when the cart total changed. Every Stripe write has an idempotency key derived from the
 * commercetools payment id (D03), and the PaymentIntent carries the commercetools ids from its
 * creation call (D04).
 */
export async function createPayment(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  input: CreatePaymentInput,
): Promise<CreatePaymentResult> {
  const { ct, stripe, config } = deps;
  const cart = await ct.getCartWithPayments(ctx.cartId);
  if (cart.cartState !== 'Active') {
    throw new AppError(409, 'InvalidOperation', `The cart is ${cart.cartState} and cannot be paid.`);
  }
  const types = paymentMethodTypesFor(config, input.paymentComponent ?? 'payment');
  const merchantReturnUrl = ctx.merchantReturnUrl ?? config.merchantReturnUrl;

  const existing = openPayment(cart);
  const amount = amountToPay(cart, existing?.id);
  if (amount.centAmount <= 0) throw new AppError(409, 'InvalidOperation', 'The cart has already been paid in full.');
  const stripeAmount = toStripeAmount(amount);

  if (existing?.interfaceId) {
    const reused = await reuse(deps, existing, existing.interfaceId, stripeAmount, types, ctx);
    if (reused) {
      return { clientSecret: reused, paymentReference: existing.id, cartId: cart.id, merchantReturnUrl };
    }
  }

  const payment = await ct
    .createPayment({
      // One creation per cart version: a concurrent second request fails on the duplicate key
      // instead of creating a second payment.
      key: `${cart.id}-${cart.version}`,
      amountPlanned: { centAmount: amount.centAmount, currencyCode: amount.currencyCode },
      paymentMethodInfo: {
        paymentInterface: ctx.checkoutTransactionItemId ?? ctx.paymentInterface ?? PAYMENT_INTERFACE,
      },
      ...(cart.customerId ? { customer: { typeId: 'customer', id: cart.customerId } } : {}),
      ...(!cart.customerId && cart.anonymousId ? { anonymousId: cart.anonymousId } : {}),
    })
    .catch(async (error: unknown) => {
      if (
        (error as { httpErrorStatus?: number }).httpErrorStatus !== 400 ||
        !String((error as Error).message).includes('key')
      ) {
        throw error;
      }
      // A payment with this key exists: another request is creating it, or an earlier attempt
      // failed after creating it (Stripe or commercetools unreachable). An old one without a
      // PaymentIntent is adopted; its PaymentIntent's idempotency key makes Stripe answer the
      // earlier attempt's PaymentIntent if there was one.
      const earlier = await ct.getPaymentByKey(`${cart.id}-${cart.version}`);
      if (!earlier.interfaceId && Date.now() - Date.parse(earlier.createdAt) > ADOPT_AFTER_MS) return earlier;
      throw conflict('ConcurrentModification', 'A payment for this cart is being created by another request; retry.');
    });

  const shipping = shippingOf(cart);
  const paymentIntent = await stripe.paymentIntents.create(
    {
      amount: stripeAmount.amount,
      currency: stripeAmount.currency,
      capture_method: config.stripe.captureMethod,
      ...(config.stripe.multicapture && config.stripe.captureMethod === 'manual'
        ? { payment_method_options: { card: { request_multicapture: 'if_available' as const } } }
        : {}),
      // API 2026-10-28: `allowed_payment_method_types` replaced `payment_method_types`.
      ...(types.length > 0
        ? { allowed_payment_method_types: [...types] }
        : { automatic_payment_methods: { enabled: true } }),
      metadata: {
        [METADATA.paymentId]: payment.id,
        [METADATA.cartId]: cart.id,
        [METADATA.projectKey]: config.commercetools.projectKey,
        ...(ctx.checkoutTransactionItemId
          ? { [METADATA.checkoutTransactionItemId]: ctx.checkoutTransactionItemId }
          : {}),
        ...(ctx.futureOrderNumber ? { [METADATA.orderNumber]: ctx.futureOrderNumber } : {}),
      },
      ...(shipping ? { shipping } : {}),
      ...(cart.customerEmail ? { receipt_email: cart.customerEmail } : {}),
    },
    { idempotencyKey: `ct-payment:${payment.id}:create` },
  );

  // In this order: a payment is on the cart only once it names its PaymentIntent, so that a
  // concurrent request that sees it reuses it instead of creating a second PaymentIntent.
  await ct.updatePayment(payment, (current) =>
    current.interfaceId === paymentIntent.id
      ? []
      : [
          { action: 'setInterfaceId', interfaceId: paymentIntent.id },
          { action: 'setStatusInterfaceCode', interfaceCode: paymentIntent.status },
        ],
  );
  await ct.addPaymentToCart(cart, payment.id);
  deps.log.info(
    { paymentId: payment.id, paymentIntentId: paymentIntent.id, cartId: cart.id, amount: stripeAmount },
    'payment created',
  );

  return {
    clientSecret: requireSecret(paymentIntent),
    paymentReference: payment.id,
    cartId: cart.id,
    merchantReturnUrl,
  };
}

function requireSecret(paymentIntent: Stripe.PaymentIntent): string {
  if (!paymentIntent.client_secret) throw new AppError(502, 'General', 'Stripe returned no client secret.');
  return paymentIntent.client_secret;
}

/**
 * Reuses the open PaymentIntent of the cart when the shopper has not paid it yet, updating
 * amount and method types in place. Answers undefined when a new one must be made.
 */
async function reuse(
  deps: PaymentsDeps,
  payment: Payment,
  paymentIntentId: string,
  target: { amount: number; currency: string },
  types: readonly string[],
  ctx: CheckoutContext,
): Promise<string | undefined> {
  const { stripe, ct } = deps;
  const paymentIntent = await stripe.paymentIntents.retrieve(paymentIntentId);
  if (
    paymentIntent.metadata[METADATA.paymentId] !== payment.id ||
    paymentIntent.metadata[METADATA.cartId] !== ctx.cartId
  ) {
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
  if (wantsAutomatic !== isAutomatic) {
    // Automatic payment methods cannot be switched on or off after creation: this PaymentIntent
    // is abandoned for a new one.
    await stripe.paymentIntents.cancel(
      paymentIntent.id,
      { cancellation_reason: 'abandoned' },
      { idempotencyKey: `ct-payment:${payment.id}:cancel-abandoned` },
    );
    return undefined;
  }
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
  if (Object.keys(update).length === 0) return requireSecret(paymentIntent);

  const centAmount = fromStripeAmount(target.amount, target.currency, payment.amountPlanned.fractionDigits).centAmount;
  const keyParts = [paymentIntent.amount, target.amount, (update.allowed_payment_method_types ?? []).join('+')].join(
    ':',
  );
  const [updated] = await Promise.all([
    stripe.paymentIntents.update(paymentIntent.id, update, {
      idempotencyKey: `ct-payment:${payment.id}:update:${keyParts}`,
    }),
    ct.updatePayment(payment, (current) =>
      current.amountPlanned.centAmount === centAmount
        ? []
        : [{ action: 'changeAmountPlanned', amount: { centAmount, currencyCode: current.amountPlanned.currencyCode } }],
    ),
  ]);
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
