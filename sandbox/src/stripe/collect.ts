import type Stripe from 'stripe';
import { recordBalance } from './balance';
import type { EmulatorState } from './state';

const balanceOf = (state: EmulatorState, charge: Stripe.Charge, type: 'payment' | 'charge') =>
  recordBalance(state, { type, amount: charge.amount, currency: charge.currency, source: charge.id }).id;

/**
 * A payment's whole amount is collected: its balance transaction, the PaymentIntent succeeded,
 * `charge.succeeded` and `payment_intent.succeeded`. With `automatic_async` (the default capture
 * method) Stripe captures in the background: the charge of the answer and of both events has no
 * balance transaction yet, and a `charge.updated` brings it right after.
 */
export function collect(
  state: EmulatorState,
  pi: Stripe.PaymentIntent,
  charge: Stripe.Charge,
  balanceType: 'payment' | 'charge',
): void {
  const inBackground = balanceType === 'charge' && pi.capture_method === 'automatic_async';
  if (!inBackground) charge.balance_transaction = balanceOf(state, charge, balanceType);
  pi.status = 'succeeded';
  pi.amount_received = pi.amount;
  state.captureCount.set(pi.id, 1);
  state.emit('charge.succeeded', charge);
  state.emit('payment_intent.succeeded', pi);
  if (!inBackground) return;
  state.scheduler.soon(() => {
    if (state.charges.get(charge.id) !== charge || charge.balance_transaction) return;
    const before = structuredClone(charge);
    charge.balance_transaction = balanceOf(state, charge, balanceType);
    state.emitUpdated('charge.updated', charge, before);
  });
}
