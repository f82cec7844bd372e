import type { PaymentIntentSnapshot } from '../core/snapshot';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Whether two copies of a Stripe object say exactly the same: every field equal, where an
 * expanded object and its id count as equal (an event carries `latest_charge: "ch_…"`, a read
 * expands it). Anything else, a field missing on one side included, is a difference.
 */
export function sameStripeState(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'string' && isRecord(b)) return b.id === a;
  if (typeof b === 'string' && isRecord(a)) return a.id === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameStripeState(item, b[i]));
  }
  if (!isRecord(a) || !isRecord(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && sameStripeState(a[key], b[key]));
}

/**
 * Whether a Stripe state this process read shows the object of an event (a PaymentIntent, its
 * charge, one of its refunds or disputes) exactly as the event does. Then the read has what the
 * event announces, and the event needs no read of its own: the event's copy is never used for
 * anything but this comparison, and a state it does not match exactly is read again. Every change
 * of a payment has an event of its own, so the last one of a payment is either shown exactly by
 * the read that is planned from, or makes a read of its own.
 */
export function snapshotShows(snapshot: PaymentIntentSnapshot, object: unknown): boolean {
  if (!isRecord(object) || typeof object.id !== 'string') return false;
  const same = (candidate: unknown) =>
    isRecord(candidate) && candidate.id === object.id && sameStripeState(candidate, object);
  switch (object.object) {
    case 'payment_intent':
      return same(snapshot.paymentIntent);
    case 'charge':
      return same(snapshot.charge);
    case 'refund':
      return (snapshot.refunds ?? []).some(same);
    case 'dispute':
      return (snapshot.disputes ?? []).some(same);
    default:
      return false;
  }
}
