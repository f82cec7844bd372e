import type { Cart } from '@commercetools/platform-sdk';
import { expandedPayments, isPaymentApproved, plannedAmount } from '../commercetools/cart-amount';
import type { Appearance, Config, Layout } from '../config/load-config';
import { invalidInput } from '../core/errors';
import { ENABLER_COMPONENT_TYPES } from '../operations/components';
import { toStripeAmount } from '../core/money';
import type { CheckoutContext } from './checkout-context';
import type { PaymentsDeps } from '../core/deps';
import { digest } from '../core/digest';
import { savedMethodsApply, stripeCustomerFor } from './stripe-customer';

/** The drop-in: the Payment Element with every method the deployment enables. */
export const DROPIN_COMPONENT = 'payment';
/** The Express Checkout Element: the configured wallets (Apple Pay, Google Pay, Link). */
export const EXPRESS_COMPONENT = 'express';

/**
 * The PaymentIntent's method types for the Express Checkout Element: Apple Pay and Google Pay
 * pay as `card`, Link as `link` when it is offered. Refused when express checkout is off.
 */
export function expressPaymentMethodTypes(config: Config): readonly string[] {
  const wallets = config.stripe.expressWallets;
  if (wallets.length === 0) throw invalidInput('Express checkout is not enabled.');
  return wallets.includes('link') ? ['card', 'link'] : ['card'];
}

/**
 * Payment method types for a component: the drop-in uses the configured list (empty means
 * automatic payment methods); a single-method component uses just its own type, which must be
 * one the deployment enables.
 */
export function paymentMethodTypesFor(config: Config, component: string): readonly string[] {
  if (component === DROPIN_COMPONENT) return config.stripe.paymentMethodTypes;
  if (component === EXPRESS_COMPONENT) return expressPaymentMethodTypes(config);
  const enabled = config.stripe.paymentMethodTypes;
  if (enabled.length > 0 && !enabled.includes(component)) {
    throw invalidInput(
      `Payment component "${component}" is not enabled; enabled: ${[DROPIN_COMPONENT, ...enabled].join(', ')}.`,
    );
  }
  // With automatic payment methods, only the components the enabler builds: anything else would
  // reach Stripe as an invalid payment method type (a 502 after the commercetools payment exists).
  const known = enabled.length > 0 ? enabled : ENABLER_COMPONENT_TYPES;
  if (!/^[a-z_]{2,40}$/.test(component) || !(known as readonly string[]).includes(component))
    throw invalidInput(`Unknown payment component "${component}".`);
  return [component];
}

export interface ElementConfig {
  cartInfo: { amount: number; currency: string };
  captureMethod: Config['stripe']['captureMethod'];
  paymentMethodTypes?: string[];
  appearance?: Appearance;
  layout: Layout;
  collectBillingAddress: Config['stripe']['billingAddressCollection'];
  merchantReturnUrl: string;
  /** A Stripe Customer Session's client secret (saved methods): for `stripe.elements` only, never logged. */
  customerSessionClientSecret?: string;
}

/** A customer session is valid 30 minutes at Stripe; a GET repeated within this window gets the same one. */
const CUSTOMER_SESSION_WINDOW_MS = 10 * 60_000;

/**
 * A Stripe Customer Session for the Payment Element: the customer's saved cards are shown and a
 * new one can be saved for later off-session use. Its key names the customer, the cart and a
 * ten-minute window: a retry gets the same session, a later visit a fresh one.
 */
export async function customerSessionSecret(deps: PaymentsDeps, customerId: string, cartId: string): Promise<string> {
  const customer = await stripeCustomerFor(deps, customerId);
  const params = {
    customer,
    components: {
      payment_element: {
        enabled: true,
        features: {
          payment_method_redisplay: 'enabled' as const,
          payment_method_save: 'enabled' as const,
          payment_method_save_usage: 'off_session' as const,
        },
      },
    },
  };
  const window = Math.floor(Date.now() / CUSTOMER_SESSION_WINDOW_MS);
  const session = await deps.stripe.customerSessions.create(params, {
    idempotencyKey: `ct-customer-session:${deps.config.commercetools.projectKey}:${customerId}:${cartId}:${window}:${digest(params)}`,
  });
  return session.client_secret;
}

export function unpaidAmountOf(cart: Cart, ctx: CheckoutContext) {
  const open = expandedPayments(cart).find((p) => p.interfaceId?.startsWith('pi_') && !isPaymentApproved(p));
  return plannedAmount(cart, open?.id, ctx.giftCardPlannedAmount);
}

/** `GET /config-element/:paymentComponent`: what the enabler needs to build the Element. */
export async function elementConfig(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
  component: string,
): Promise<ElementConfig> {
  const types = paymentMethodTypesFor(deps.config, component);
  const cart = await deps.ct.getCartWithPayments(ctx.cartId);
  const money = toStripeAmount(unpaidAmountOf(cart, ctx));
  const { stripe } = deps.config;
  return {
    cartInfo: { amount: money.amount, currency: money.currency },
    captureMethod: stripe.captureMethod,
    ...(types.length > 0 ? { paymentMethodTypes: [...types] } : {}),
    ...(stripe.appearance ? { appearance: stripe.appearance } : {}),
    layout: stripe.layout,
    collectBillingAddress: stripe.billingAddressCollection,
    merchantReturnUrl: ctx.merchantReturnUrl ?? deps.config.merchantReturnUrl,
    ...(component === DROPIN_COMPONENT && savedMethodsApply(deps, cart)
      ? { customerSessionClientSecret: await customerSessionSecret(deps, cart.customerId, cart.id) }
      : {}),
  };
}
