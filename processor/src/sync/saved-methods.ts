import type { Payment, PaymentMethod } from '@commercetools/platform-sdk';
import { isDuplicateKey } from '../commercetools/port';
import { CardDetailsTypeKey } from '../commercetools/custom-types';
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
 * create is refused as a duplicate and the existing one is used). The process that creates it
 * then asks the payments SDK for the recurring payment job (it checks whether the cart recurs).
 * Failures are logged, never thrown: the money is recorded already, and the next sync of the
 * PaymentIntent (a webhook, confirm, reconcile) tries again.
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
    const existing = await deps.ct.findPaymentMethods(tokenPredicate(customerId, token));
    if (existing[0]) return existing[0];
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
    await deps.recurringJobs?.createRecurringPaymentJobIfApplicable({
      originPayment: { id: payment.id, typeId: 'payment' },
      paymentMethod: { id: created.id, typeId: 'payment-method' },
    });
    return created;
  } catch (error) {
    deps.log.warn(
      { paymentId: payment.id, paymentIntentId: pi.id, error: (error as Error).message },
      'the saved payment method could not be recorded in commercetools; the next sync tries again',
    );
    return undefined;
  }
}
