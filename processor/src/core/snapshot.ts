import type Stripe from 'stripe';

/** What Stripe knows about one PaymentIntent: the input of every sync. */
export interface PaymentIntentSnapshot {
  paymentIntent: Stripe.PaymentIntent;
  /** The PaymentIntent's charge (its latest), when there is one. */
  charge?: Stripe.Charge;
  /** Every refund of the charge, newest or oldest first (order does not matter). */
  refunds?: readonly Stripe.Refund[];
  disputes?: readonly Stripe.Dispute[];
  /**
   * A capture this process just made, from Stripe's answer to it: its amount and the charge's
   * captured total it brought. Stripe reports captures only as a running total, so without this a
   * capture made elsewhere in the same moment (the dashboard) would share one transaction with it.
   */
  capture?: { amount: number; total: number };
}
