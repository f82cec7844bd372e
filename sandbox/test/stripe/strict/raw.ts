import qs from 'qs';
import type Stripe from 'stripe';
import type { EmulatorHarness } from '../harness';

export type Form = Record<string, unknown>;

export interface RawAnswer {
  status: number;
  body: any;
}

/**
 * A request as it goes over the wire, without the SDK's types in the way: form-encoded with
 * bracket notation and indexed arrays (as stripe-node encodes), in the query for GET and DELETE.
 */
export async function raw(
  h: EmulatorHarness,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  params: Form = {},
  options: { key?: string; version?: string } = {},
): Promise<RawAnswer> {
  const form = qs.stringify(params, { encodeValuesOnly: true });
  const inQuery = method !== 'POST';
  const res = await fetch(`${h.url}${path}${inQuery && form ? `?${form}` : ''}`, {
    method,
    headers: {
      authorization: `Bearer ${options.key ?? h.emulator.secretKey}`,
      ...(inQuery ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      ...(options.version ? { 'stripe-version': options.version } : {}),
    },
    ...(inQuery ? {} : { body: form }),
  });
  return { status: res.status, body: await res.json() };
}

/** A refusal case: the parameters sent and what Stripe answers. */
export interface Refusal {
  what: string;
  params: Form;
  param: string;
  /** The error code; `null` when Stripe sends none (enums, shapes, booleans). */
  code: string | null;
  message?: RegExp;
}

/** Expects Stripe's 400 `invalid_request_error` for the case. */
export function expectRefusal(answer: RawAnswer, refusal: Refusal): void {
  expect(answer.status).toBe(400);
  const error = answer.body.error as Record<string, unknown>;
  expect(error).toMatchObject({ type: 'invalid_request_error', param: refusal.param });
  if (refusal.code === null) expect(error.code).toBeUndefined();
  else expect(error.code).toBe(refusal.code);
  if (refusal.message) expect(error.message).toMatch(refusal.message);
}

export const UNKNOWN = 'parameter_unknown';
export const NOT_EMULATED = 'parameter_not_emulated';

/** Shipping as the processor sends it. */
export const SHIPPING = {
  name: 'Jenny Rosen',
  phone: '+49301234567',
  address: { line1: 'Main St 1', postal_code: '10115', city: 'Berlin', country: 'DE' },
};

/** A PaymentIntent paid with a test card, authorized only (`manual`) or captured. */
export async function paidIntent(
  h: EmulatorHarness,
  currency: string,
  amount: number,
  capture: 'manual' | 'automatic' = 'automatic',
): Promise<Stripe.PaymentIntent> {
  return h.stripe.paymentIntents.create({
    amount,
    currency,
    capture_method: capture,
    payment_method: 'pm_card_visa',
    confirm: true,
    allowed_payment_method_types: ['card'],
  });
}
