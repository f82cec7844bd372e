import type { Cart } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { present } from '../core/present';
import { shippingOf } from './shipping';

/**
 * An address Stripe takes as `receipt_email`: one `@`, no spaces, a dotted domain. commercetools
 * keeps any string as a cart's email, and Stripe refuses the whole PaymentIntent for a malformed
 * one (400 `email_invalid`): such a cart is paid without a receipt rather than not at all.
 */
const RECEIPT_EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** What the PaymentIntent tells Stripe about the shopper: where the goods go, where the receipt goes. */
export function shopperDetails(cart: Cart): Pick<Stripe.PaymentIntentCreateParams, 'shipping' | 'receipt_email'> {
  const shipping = shippingOf(cart);
  const email = cart.customerEmail?.trim();
  return present({ shipping, receipt_email: email && RECEIPT_EMAIL.test(email) ? email : undefined });
}
