import type Stripe from 'stripe';
import { ctRead, stripeRead, type RunContext } from './calls';
import { pool } from './http';

/** Everything Stripe knows of one PaymentIntent after the run, read with the stripe SDK. */
export interface PiFinal {
  pi: Stripe.PaymentIntent;
  /** The latest charge (the one that can hold money). */
  charge?: Stripe.Charge;
  charges: Stripe.Charge[];
  /** Refunds of the latest charge, releases (reversals) left out. */
  refunds: Stripe.Refund[];
  disputes: Stripe.Dispute[];
  /** Each capture of the latest charge, oldest first (its balance transactions). */
  captures: { id: string; amount: number }[];
}

export interface CtTransaction {
  type: string;
  state: string;
  amount: { centAmount: number; currencyCode: string; fractionDigits: number };
  interactionId?: string;
}

export interface CtPayment {
  id: string;
  key?: string;
  interfaceId?: string;
  amountPlanned: { centAmount: number; currencyCode: string; fractionDigits: number };
  transactions: CtTransaction[];
}

export interface CtOrder {
  id: string;
  cart?: { id: string };
  paymentState?: string;
  totalPrice: { centAmount: number; currencyCode: string; fractionDigits: number };
  taxedPrice?: { totalGross: { centAmount: number; currencyCode: string; fractionDigits: number } };
}

export interface CtPaymentMethod {
  id: string;
  key?: string;
  customer?: { id: string };
  paymentInterface?: string;
  method?: string;
  token?: { value: string };
  paymentMethodStatus?: string;
}

export interface CtCustomer {
  id: string;
  custom?: { type: { id: string; obj?: { key: string } }; fields: Record<string, unknown> };
}

export interface CtRecurringJob {
  id: string;
  originPayment?: { id: string };
  paymentMethod?: { id: string };
}

/** Saved cards as Stripe and commercetools keep them after the run. */
export interface SavedState {
  /** Every Stripe customer. */
  stripeCustomers: Stripe.Customer[];
  /** The PaymentMethods attached to each Stripe customer. */
  attached: Map<string, Stripe.PaymentMethod[]>;
  /** The run's commercetools customers. */
  customers: Map<string, CtCustomer>;
  /** Every commercetools payment method. */
  methods: CtPaymentMethod[];
  jobs: CtRecurringJob[];
}

export interface FinalState {
  /** Every PaymentIntent in Stripe. */
  pis: Map<string, PiFinal>;
  /** Every commercetools payment. */
  payments: Map<string, CtPayment>;
  ordersByCart: Map<string, CtOrder[]>;
  saved: SavedState;
}

/** A release is not a refund: Stripe shows it as a reversal on the card (older API versions). */
const isReversal = (refund: Stripe.Refund) =>
  (refund.destination_details as { card?: { type?: string } } | null | undefined)?.card?.type === 'reversal';

async function readPi(ctx: RunContext, id: string): Promise<PiFinal> {
  const { stripe } = ctx.cluster;
  const [pi, charges, refunds, disputes] = await Promise.all([
    stripeRead(() => stripe.paymentIntents.retrieve(id, { expand: ['latest_charge'] })),
    stripeRead(() => stripe.charges.list({ payment_intent: id, limit: 100 })),
    stripeRead(() => stripe.refunds.list({ payment_intent: id, limit: 100 })),
    stripeRead(() => stripe.disputes.list({ payment_intent: id, limit: 100 })),
  ]);
  const charge = typeof pi.latest_charge === 'object' && pi.latest_charge ? pi.latest_charge : undefined;
  let captures: PiFinal['captures'] = [];
  if (charge) {
    const txns = await stripeRead(() => stripe.balanceTransactions.list({ source: charge.id, limit: 100 }));
    // Stripe lists newest first (same-second ones too): reversed, oldest first.
    captures = txns.data
      .filter((t) => t.type === 'charge' || t.type === 'payment')
      .reverse()
      .map((t) => ({ id: t.id, amount: t.amount }));
  }
  return {
    pi,
    ...(charge ? { charge } : {}),
    charges: charges.data,
    refunds: refunds.data.filter((x) => !isReversal(x) && (!charge || x.charge === charge.id)),
    disputes: disputes.data,
    captures,
  };
}

async function ctAll<T>(ctx: RunContext, resource: string): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await ctRead<{ results: T[]; total?: number }>(ctx, `/${resource}?limit=500&offset=${offset}`);
    out.push(...page.results);
    if (page.results.length < 500) return out;
  }
}

export async function observe(ctx: RunContext): Promise<FinalState> {
  const list = await stripeRead(() =>
    ctx.cluster.stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }),
  );
  const finals = await pool(list, 12, (pi) => readPi(ctx, pi.id));
  const [payments, orders] = await Promise.all([ctAll<CtPayment>(ctx, 'payments'), ctAll<CtOrder>(ctx, 'orders')]);
  const ordersByCart = new Map<string, CtOrder[]>();
  for (const order of orders) {
    const cartId = order.cart?.id;
    if (cartId) ordersByCart.set(cartId, [...(ordersByCart.get(cartId) ?? []), order]);
  }
  return {
    pis: new Map(finals.map((f) => [f.pi.id, f])),
    payments: new Map(payments.map((p) => [p.id, p])),
    ordersByCart,
    saved: await observeSaved(ctx),
  };
}

async function observeSaved(ctx: RunContext): Promise<SavedState> {
  const { stripe } = ctx.cluster;
  const stripeCustomers = await stripeRead(() =>
    stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }),
  );
  const attached = new Map(
    await pool(stripeCustomers, 12, async (c) => {
      const list = await stripeRead(() =>
        stripe.customers.listPaymentMethods(c.id, { limit: 100 }).autoPagingToArray({ limit: 1000 }),
      );
      return [c.id, list] as const;
    }),
  );
  const customers = new Map(
    await pool(ctx.ledger.customers, 12, async (c) => {
      const customer = await ctRead<CtCustomer>(ctx, `/customers/${c.id}?expand=custom.type`);
      return [c.id, customer] as const;
    }),
  );
  const [methods, jobs] = await Promise.all([
    ctAll<CtPaymentMethod>(ctx, 'payment-methods'),
    ctAll<CtRecurringJob>(ctx, 'recurring-payment-jobs'),
  ]);
  return { stripeCustomers, attached, customers, methods, jobs };
}
