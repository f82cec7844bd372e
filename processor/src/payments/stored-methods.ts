import type { PaymentMethod } from '@commercetools/platform-sdk';
import { classifyStripeError } from '../stripe/errors';
import { invalidOperation, notFound } from '../core/errors';
import { PAYMENT_INTERFACE } from '../core/metadata';
import { present } from '../core/present';
import type { PaymentsDeps } from '../core/deps';
import type { CheckoutContext } from './checkout-context';
import { savedMethodsApply } from './stripe-customer';

export interface StoredPaymentMethodView {
  id: string;
  type: 'card';
  createdAt: string;
  isDefault: boolean;
  /** As the enabler contract has it: texts, the month with two digits, the year with four. */
  displayOptions: { name: string; brand?: string; endDigits?: string; expiryMonth?: string; expiryYear?: string };
}

/** The customer of the session's cart, when saved payment methods apply to it; else 409. */
async function sessionCustomer(deps: PaymentsDeps, ctx: CheckoutContext): Promise<string> {
  const cart = await deps.ct.getCart(ctx.cartId);
  if (!savedMethodsApply(deps, cart)) throw invalidOperation('Saved payment methods are not available for this cart.');
  return cart.customerId;
}

const activeOfCustomer = (customerId: string) =>
  `customer(id="${customerId.replace(/"/g, '')}") and paymentInterface="${PAYMENT_INTERFACE}" and paymentMethodStatus="Active"`;

function view(method: PaymentMethod): StoredPaymentMethodView {
  const fields = (method.custom?.fields ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' && value.length > 0 ? value : undefined);
  const int = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined);
  const month = int(fields.expiryMonth);
  const year = int(fields.expiryYear);
  const brand = text(fields.brand);
  const endDigits = text(fields.lastFour);
  const name =
    (method.name ? (method.name.en ?? Object.values(method.name)[0]) : undefined) ??
    [brand ?? 'Card', endDigits ? `•••• ${endDigits}` : undefined].filter(Boolean).join(' ');
  return {
    id: method.id,
    type: 'card',
    createdAt: method.createdAt,
    isDefault: method.default === true,
    // Never the token (the Stripe PaymentMethod id): the browser only ever names the commercetools id.
    displayOptions: {
      name,
      ...present({
        brand,
        endDigits,
        expiryMonth: month === undefined ? undefined : String(month).padStart(2, '0'),
        expiryYear: year === undefined ? undefined : String(year),
      }),
    },
  };
}

/** `GET /stored-payment-methods`: the active saved cards of the session cart's customer. */
export async function listStoredPaymentMethods(
  deps: PaymentsDeps,
  ctx: CheckoutContext,
): Promise<{ storedPaymentMethods: StoredPaymentMethodView[] }> {
  const customerId = await sessionCustomer(deps, ctx);
  const methods = await deps.ct.findPaymentMethods(activeOfCustomer(customerId));
  return { storedPaymentMethods: methods.filter((m) => m.method === 'card').map(view) };
}

/**
 * `DELETE /stored-payment-methods/:id`: one of the customer's own saved methods, detached at
 * Stripe (keyed by the PaymentMethod, so a retry detaches once) and then deleted in
 * commercetools. Another customer's method, or one of another connector, is not found (404).
 */
export async function deleteStoredPaymentMethod(deps: PaymentsDeps, ctx: CheckoutContext, id: string): Promise<void> {
  const customerId = await sessionCustomer(deps, ctx);
  const method = await deps.ct.getPaymentMethod(id);
  if (method.customer?.id !== customerId || method.paymentInterface !== PAYMENT_INTERFACE) {
    throw notFound(`Payment method ${id}`);
  }
  const token = method.token?.value;
  if (token?.startsWith('pm_')) {
    try {
      await deps.stripe.paymentMethods.detach(token, {}, { idempotencyKey: `ct-payment-method:${token}:detach` });
    } catch (error) {
      // Already detached or gone at Stripe (a retry after the detach, a dashboard removal).
      const kind = classifyStripeError(error);
      if (kind !== 'not-found' && kind !== 'refused') throw error;
    }
  }
  await deps.ct.deletePaymentMethod(method);
  deps.log.info({ paymentMethodId: method.id, stripePaymentMethodId: token }, 'saved payment method deleted');
}

/** `GET /operations/config`'s `storedPaymentMethodsEnabled`: the feature is on and the cart has a customer. */
export async function storedPaymentMethodsEnabled(deps: PaymentsDeps, ctx: CheckoutContext): Promise<boolean> {
  if (!deps.config.stripe.savedPaymentMethods) return false;
  return savedMethodsApply(deps, await deps.ct.getCart(ctx.cartId));
}
