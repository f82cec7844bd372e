import type { PaymentIntentSnapshot } from './snapshot';
import { TtlMap } from './ttl-map';

/**
 * How long a Stripe read answers for later syncs of the same PaymentIntent. A checkout's
 * confirmation and the webhooks racing it arrive within this; anything later reads Stripe again.
 */
export const SNAPSHOT_TTL_MS = 5_000;
const CHECKOUT_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

export interface Checkout {
  paymentId: string;
  cartId: string;
}

/**
 * What this processor read lately, so that the syncs of one checkout (its confirmation and the
 * webhooks racing it, one after the other in the serial queue) share reads instead of repeating
 * them. One per composition root.
 */
export function createRecentReads(options: { now?: () => number } = {}) {
  const snapshots = new TtlMap<string, PaymentIntentSnapshot>(SNAPSHOT_TTL_MS, MAX_ENTRIES, options.now);
  const checkouts = new TtlMap<string, Checkout>(CHECKOUT_TTL_MS, MAX_ENTRIES, options.now);
  return {
    /** The Stripe state of the PaymentIntent a sync of this process planned from last, a few seconds old at most. */
    snapshot: (paymentIntentId: string): PaymentIntentSnapshot | undefined => snapshots.get(paymentIntentId),
    /**
     * Remembers the Stripe state a sync planned from (Stripe's answer to a read or a write). Not a
     * capture's one-time details: they name a write this process made, not Stripe's state.
     */
    rememberSnapshot(snapshot: PaymentIntentSnapshot): void {
      const { capture: _capture, ...state } = snapshot;
      snapshots.set(snapshot.paymentIntent.id, state);
    },
    /** The payment and cart a PaymentIntent was made for, when this process made it (`POST /payments`). */
    checkout: (paymentIntentId: string): Checkout | undefined => checkouts.get(paymentIntentId),
    rememberCheckout: (paymentIntentId: string, checkout: Checkout): void => checkouts.set(paymentIntentId, checkout),
  };
}

export type RecentReads = ReturnType<typeof createRecentReads>;
