import type { PaymentIntentSnapshot } from './snapshot';
import { TtlMap } from './ttl-map';

/**
 * How long a Stripe read answers for later syncs of the same PaymentIntent, from the moment it
 * was read (planning from it again does not make it younger). A checkout's confirmation and the
 * webhooks racing it arrive within this; anything later reads Stripe again.
 */
export const SNAPSHOT_TTL_MS = 5_000;
const CHECKOUT_TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 5_000;

/** When each PaymentIntent object was read from Stripe (or first remembered, for a write's answer). */
const readTimes = new WeakMap<object, number>();

/** Records that Stripe answered this PaymentIntent object now (`stripe/snapshot.ts`). */
export function markRead(paymentIntent: object, at = Date.now()): void {
  readTimes.set(paymentIntent, at);
}

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
  const now = options.now ?? Date.now;
  const snapshots = new TtlMap<string, { state: PaymentIntentSnapshot; readAt: number }>(
    SNAPSHOT_TTL_MS,
    MAX_ENTRIES,
    now,
  );
  const checkouts = new TtlMap<string, Checkout>(CHECKOUT_TTL_MS, MAX_ENTRIES, now);
  return {
    /** The Stripe state of the PaymentIntent a sync of this process planned from last, read at most 5 s ago. */
    snapshot(paymentIntentId: string): PaymentIntentSnapshot | undefined {
      const entry = snapshots.get(paymentIntentId);
      return entry && now() - entry.readAt < SNAPSHOT_TTL_MS ? entry.state : undefined;
    },
    /**
     * Remembers the Stripe state a sync planned from (Stripe's answer to a read or a write), with
     * the time its PaymentIntent was read. Not a capture's one-time details: they name a write
     * this process made, not Stripe's state.
     */
    rememberSnapshot(snapshot: PaymentIntentSnapshot): void {
      const { capture: _capture, ...state } = snapshot;
      let readAt = readTimes.get(snapshot.paymentIntent);
      if (readAt === undefined) {
        readAt = now();
        readTimes.set(snapshot.paymentIntent, readAt);
      }
      const known = snapshots.get(snapshot.paymentIntent.id);
      // A read older than the one remembered never replaces it.
      if (known && known.readAt > readAt) return;
      snapshots.set(snapshot.paymentIntent.id, { state, readAt });
    },
    /** The payment and cart a PaymentIntent was made for, when this process made it (`POST /payments`). */
    checkout: (paymentIntentId: string): Checkout | undefined => checkouts.get(paymentIntentId),
    rememberCheckout: (paymentIntentId: string, checkout: Checkout): void => checkouts.set(paymentIntentId, checkout),
  };
}

export type RecentReads = ReturnType<typeof createRecentReads>;
