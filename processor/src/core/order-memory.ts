import type { Cart, PaymentState } from '@commercetools/platform-sdk';
import { TtlMap } from './ttl-map';

export type OrderResult =
  | 'created'
  | 'exists'
  | 'already-ordered'
  | 'awaits-other-payments'
  | 'left-to-checkout'
  | 'not-paid'
  | 'released'
  | 'disabled';

const KNOWN_TTL_MS = 10 * 60_000;
const KNOWN_MAX = 5_000;
const ACCEPTED_TTL_MS = 60_000;

/** What one processor remembers about orders (one per composition root). */
export function createOrderMemory() {
  /** Orders seen lately, by payment id, with the payment state they were given. */
  const known = new TtlMap<string, PaymentState>(KNOWN_TTL_MS, KNOWN_MAX);
  /** Payments this processor just accepted, by id, with the cart (and its version) they matched. */
  const accepted = new TtlMap<string, Cart>(ACCEPTED_TTL_MS, KNOWN_MAX);
  return {
    /** One order creation per cart at a time here; the cart version guards across processes. */
    inFlight: new Map<string, Promise<OrderResult>>(),
    knownState: (paymentId: string): PaymentState | undefined => known.get(paymentId),
    remember: (paymentId: string, state: PaymentState): void => known.set(paymentId, state),
    /** A payment was just accepted against `cart` (its amount matched): its order can be made from that version. */
    accepted: (paymentId: string, cart: Cart): void => accepted.set(paymentId, cart),
    /**
     * The cart a payment was accepted against by this processor, once: the order is made from that
     * version (commercetools refuses it if the cart changed since), and a retry checks the cart anew.
     */
    takeAccepted(paymentId: string): Cart | undefined {
      const cart = accepted.get(paymentId);
      accepted.delete(paymentId);
      return cart;
    },
  };
}

export type OrderMemory = ReturnType<typeof createOrderMemory>;
