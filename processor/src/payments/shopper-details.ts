import type { Cart } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';

/**
 * An address Stripe takes as `receipt_email`: one `@`, no spaces, a dotted domain. commercetools
 * keeps any string as a cart's email, and Stripe refuses the whole PaymentIntent for a malformed
 * one (400 `email_invalid`): such a cart is paid without a receipt rather than not at all.
 */
const RECEIPT_EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

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

/** What the PaymentIntent tells Stripe about the shopper: where the goods go, where the receipt goes. */
export function shopperDetails(cart: Cart): Pick<Stripe.PaymentIntentCreateParams, 'shipping' | 'receipt_email'> {
  const shipping = shippingOf(cart);
  const email = cart.customerEmail?.trim();
  return {
    ...(shipping ? { shipping } : {}),
    ...(email && RECEIPT_EMAIL.test(email) ? { receipt_email: email } : {}),
  };
}
