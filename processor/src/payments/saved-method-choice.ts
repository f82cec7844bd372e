import type { Cart } from '@commercetools/platform-sdk';
import { isRecurringCart } from '../commercetools/cart-amount';
import type { PaymentsDeps } from '../core/deps';
import { invalidInput } from '../core/errors';
import { PAYMENT_INTERFACE } from '../core/metadata';
import { present } from '../core/present';
import { savedMethodsApply, stripeCustomerFor } from './stripe-customer';

/** What saved payment methods add to the PaymentIntent (empty when they do not apply). */
export interface SavedMethodChoice {
  customer?: string;
  setup_future_usage?: 'off_session';
  payment_method?: string;
  ctCustomerId?: string;
  /** The cart recurs: the method it saves or uses gets a recurring payment job. */
  recurring?: true;
}

/**
 * The customer, saving and stored method of the PaymentIntent. The stored method is looked up in
 * commercetools and must be an active one of this cart's customer and of this connector: the
 * browser's word is never taken for it.
 */
export async function savedMethodChoice(
  deps: PaymentsDeps,
  cart: Cart,
  input: { storePaymentDetails?: boolean; storedPaymentMethodId?: string },
  types: readonly string[],
): Promise<SavedMethodChoice> {
  if (!savedMethodsApply(deps, cart)) {
    if (input.storedPaymentMethodId !== undefined || input.storePaymentDetails === true) {
      throw invalidInput('Saved payment methods are not available for this cart.');
    }
    return {};
  }
  let token: string | undefined;
  if (input.storedPaymentMethodId !== undefined) {
    if (types.length > 0 && !types.includes('card')) {
      throw invalidInput('A saved card cannot pay with this payment component.');
    }
    token = await storedMethodToken(deps, cart.customerId, input.storedPaymentMethodId);
  }
  const customer = await stripeCustomerFor(deps, cart.customerId);
  const recurring = isRecurringCart(cart);
  const save = input.storePaymentDetails === true || recurring;
  return present({
    customer,
    setup_future_usage: save ? ('off_session' as const) : undefined,
    payment_method: token,
    ctCustomerId: cart.customerId,
    recurring: recurring ? (true as const) : undefined,
  });
}

/** The Stripe PaymentMethod of one of the customer's active payment methods of this connector, or 400. */
export async function storedMethodToken(
  deps: PaymentsDeps,
  customerId: string,
  id: string,
  field = 'storedPaymentMethodId',
): Promise<string> {
  const refused = () => invalidInput(`${field} is not a saved payment method of this customer.`);
  const method = await deps.ct.getPaymentMethod(id).catch((error: unknown) => {
    if ((error as { statusCode?: number }).statusCode === 404) throw refused();
    throw error;
  });
  const token = method.token?.value;
  if (
    method.customer?.id !== customerId ||
    method.paymentInterface !== PAYMENT_INTERFACE ||
    method.paymentMethodStatus !== 'Active' ||
    !token?.startsWith('pm_')
  ) {
    throw refused();
  }
  return token;
}
