import { ctRead, piState, type RunContext } from './calls';
import { createPayment, pay } from './driver';
import { pool } from './http';
import type { CheckoutRecord } from './ledger';
import type { Rng } from './rng';

/**
 * Invariant (g): after the run (faults off), a sample of carts whose payment failed, was
 * abandoned or was released is paid again from scratch: `POST /payments`, pm_card_visa in the
 * browser, `POST /confirmPayments` must answer approved.
 */
export async function repaySample(ctx: RunContext, r: Rng, limit: number): Promise<number> {
  const candidates: CheckoutRecord[] = [];
  for (const checkout of ctx.ledger.checkouts) {
    if (candidates.length >= limit) break;
    if (await holdsMoney(ctx, checkout)) continue;
    const cart = await ctRead(ctx, `/carts/${checkout.cartId}`);
    if (cart.cartState !== 'Active') continue;
    candidates.push(checkout);
  }
  await pool(candidates, 4, async (checkout) => {
    const payment = await createPayment(ctx, r, { flavor: checkout.flavor }, checkout, {});
    if (!payment) {
      ctx.ledger.unpayable.push({ cartId: checkout.cartId, reason: `POST /payments failed: ${checkout.notes.at(-1)}` });
      return;
    }
    await pay(ctx, r, checkout, payment, 'pm_card_visa', true);
  });
  ctx.ledger.outcomes.add('(g) carts paid again after the run', candidates.length);
  return candidates.length;
}

/** Whether one of the cart's PaymentIntents holds money that its cart asked for (then it is not retried). */
async function holdsMoney(ctx: RunContext, checkout: CheckoutRecord): Promise<boolean> {
  if (checkout.payments.length === 0) return false;
  for (const id of new Set(checkout.payments.map((p) => p.paymentIntentId))) {
    const st = await piState(ctx, id);
    if (['processing', 'requires_capture', 'succeeded'].includes(st.pi.status)) {
      const authorizing = checkout.shopper
        .filter((s) => s.paymentIntentId === id && ['succeeded', 'requires_capture', 'processing'].includes(s.stripe))
        .at(-1);
      const changed = authorizing !== undefined && authorizing.amount !== authorizing.cartAmount;
      if (!changed) return true;
    }
  }
  return false;
}
