import type Stripe from 'stripe';
import { obj, str, type Params } from './form';

/**
 * An address as Stripe returns it: all six fields, `null` where none was given. Built field by
 * field, so that what the request carried beyond them is never echoed back.
 */
export function addressFrom(params: Params | undefined): Stripe.Address {
  const field = (name: string) => (params ? (str(params, name) ?? null) : null);
  return {
    city: field('city'),
    country: field('country'),
    line1: field('line1'),
    line2: field('line2'),
    postal_code: field('postal_code'),
    state: field('state'),
  };
}

/** Shipping details (of a PaymentIntent, its charges, a customer) as Stripe returns them. */
export function shippingFrom(params: Params): Stripe.PaymentIntent.Shipping {
  const name = str(params, 'name');
  return {
    address: addressFrom(obj(params, 'address')),
    carrier: str(params, 'carrier') ?? null,
    ...(name !== undefined ? { name } : {}),
    phone: str(params, 'phone') ?? null,
    tracking_number: str(params, 'tracking_number') ?? null,
  };
}

/**
 * `shipping` of a create or update: new details, `null` when the request unsets them with an
 * empty value, `undefined` when it leaves them alone.
 */
export function shippingParam(params: Params): Stripe.PaymentIntent.Shipping | null | undefined {
  if (params.shipping === '') return null;
  const shipping = obj(params, 'shipping');
  return shipping ? shippingFrom(shipping) : undefined;
}
