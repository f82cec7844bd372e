import type { Cart } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { present } from '../core/present';

/** The cart's shipping address as the PaymentIntent's `shipping` (Stripe's fraud checks read it). */
export function shippingOf(cart: Cart): Stripe.PaymentIntentCreateParams.Shipping | undefined {
  const address = cart.shippingAddress;
  if (!address?.country) return undefined;
  const name = [address.firstName, address.lastName].filter(Boolean).join(' ') || address.company || 'Shopper';
  const text = (value: string | undefined) => value || undefined;
  return {
    name,
    ...present({ phone: text(address.phone) }),
    address: {
      country: address.country,
      ...present({
        line1: text([address.streetName, address.streetNumber].filter(Boolean).join(' ')),
        line2: text(address.additionalStreetInfo),
        postal_code: text(address.postalCode),
        city: text(address.city),
        state: text(address.state),
      }),
    },
  };
}
