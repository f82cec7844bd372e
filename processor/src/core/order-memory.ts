import type { PaymentState } from '@commercetools/platform-sdk';
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

/** What one processor remembers about orders (one per composition root). */
export function createOrderMemory() {
  /** Orders seen lately, by payment id, with the payment state they were given. */
  const known = new TtlMap<string, PaymentState>(KNOWN_TTL_MS, KNOWN_MAX);
  return {
    /** One order creation per cart at a time here; the cart version guards across processes. */
    inFlight: new Map<string, Promise<OrderResult>>(),
    knownState: (paymentId: string): PaymentState | undefined => known.get(paymentId),
    remember: (paymentId: string, state: PaymentState): void => known.set(paymentId, state),
  };
}

export type OrderMemory = ReturnType<typeof createOrderMemory>;
