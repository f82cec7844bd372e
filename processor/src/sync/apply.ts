import type { Payment } from '@commercetools/platform-sdk';
import { fromStripeAmount } from '../core/money';
import { present } from '../core/present';
import { desiredTransactions } from './desired-transactions';
import type { PaymentIntentSnapshot } from '../stripe/snapshot';
import type { DesiredCtTransaction, PaymentFacts } from './plan-actions';

export function paymentMethodType(snapshot: PaymentIntentSnapshot): string | undefined {
  const fromCharge = snapshot.charge?.payment_method_details?.type;
  if (fromCharge) return fromCharge;
  const types = snapshot.paymentIntent.payment_method_types;
  return types.length === 1 ? types[0] : undefined;
}

/** The transactions Stripe implies, in the commercetools payment's money. */
export function desiredCtTransactions(payment: Payment, snapshot: PaymentIntentSnapshot): DesiredCtTransaction[] {
  const { currency } = snapshot.paymentIntent;
  const digits = payment.amountPlanned.fractionDigits;
  return desiredTransactions(snapshot).map((tx) => ({
    type: tx.type,
    state: tx.state,
    interactionId: tx.interactionId,
    centAmount: fromStripeAmount(tx.amount, currency, digits).centAmount,
    ...(tx.cumulative ? { cumulative: true as const } : {}),
    ...(tx.known
      ? {
          known: {
            amount: fromStripeAmount(tx.known.amount, currency, digits).centAmount,
            total: fromStripeAmount(tx.known.total, currency, digits).centAmount,
          },
        }
      : {}),
  }));
}

export type ApplyExtras = Pick<PaymentFacts, 'card' | 'interactions' | 'recordInteractions'>;

/** Card details of the charge, in the fields of the SDK's predefined card-details type. */
export function cardDetails(
  snapshot: PaymentIntentSnapshot,
): { brand?: string; lastFour?: string; expiryMonth?: number; expiryYear?: number } | undefined {
  const card = snapshot.charge?.payment_method_details?.card;
  if (!card) return undefined;
  return present({
    brand: card.brand || undefined,
    lastFour: card.last4 || undefined,
    expiryMonth: card.exp_month || undefined,
    expiryYear: card.exp_year || undefined,
  });
}
