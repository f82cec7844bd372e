import { ctRead, piState, sessionCall, stripeRead, type RunContext } from './calls';
import { removeMethod, runCharge, type StoredMethod } from './charges';
import { createPayment, pay } from './driver';
import { paymentWriteFault, readThrottle } from './faults';
import { must, send } from './http';
import { isAnswer, type CheckoutRecord, type PaymentRecord } from './ledger';
import { runSteps } from './ops';
import type { Plan } from './plan';
import type { Flavor } from './replicas';
import { sleep, stream, type Rng } from './rng';

/** The last four digits of the emulator's card that always needs the shopper (pm_card_authenticationRequired). */
const NEEDS_AUTH_LAST4 = '3184';

/** A commercetools customer made by the run (its own token), recorded in the ledger. */
export async function newCustomer(ctx: RunContext, label: string, fresh: boolean): Promise<string> {
  const email = `chaos-${ctx.seed}-${label}@example.com`;
  for (let attempt = 1; ; attempt++) {
    const res = await send(`${ctx.cluster.ct}/sandbox/customers`, {
      headers: { authorization: `Bearer ${ctx.cluster.ctToken}` },
      json: { email, password: 'chaos-run-1', firstName: 'Chaos', lastName: label },
    });
    if (res.status === 201 || res.status === 200) {
      const id = res.body.customer.id as string;
      ctx.ledger.customers.push({ id, email, fresh });
      return id;
    }
    if (attempt >= 5) throw new Error(`customer ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(100 * attempt);
  }
}

/** The customers whose checkouts share saved cards. */
export async function createPool(ctx: RunContext, size: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < size; i++) ids.push(await newCustomer(ctx, `pool-${i}`, false));
  return ids;
}

async function openCheckout(
  ctx: RunContext,
  plan: Pick<Plan, 'index' | 'currency' | 'quantity'>,
  flavor: Flavor,
  customerId: string,
  recurring = false,
): Promise<CheckoutRecord> {
  const created = await must(`${ctx.cluster.ct}/_sandbox/checkout-session`, {
    currency: plan.currency,
    quantity: plan.quantity,
    customerId,
    ...(recurring ? { recurring: true } : {}),
  });
  return ctx.ledger.checkout({
    index: plan.index,
    flavor,
    currency: plan.currency,
    cartId: created.cartId,
    sessionId: created.sessionId,
    cartAmount: created.amountPlanned.centAmount,
    customerId,
  });
}

/** `GET /stored-payment-methods` as the enabler asks it: the customer's saved cards (ids only). */
async function listStored(ctx: RunContext, r: Rng, checkout: CheckoutRecord): Promise<{ id: string }[]> {
  for (let attempt = 1; attempt <= 10; attempt++) {
    const replica = await ctx.cluster.replicas.choose((n) => r.int(0, n - 1));
    const res = await sessionCall(replica, 'GET', '/stored-payment-methods', checkout.sessionId);
    if (res.status === 200) return res.body.storedPaymentMethods as { id: string }[];
    if (isAnswer(res.status)) {
      checkout.notes.push(`GET /stored-payment-methods answered ${res.status}`);
      ctx.ledger.outcomes.add(`GET /stored-payment-methods → ${res.status}`);
      return [];
    }
    await sleep(150 * attempt);
  }
  return [];
}

/** The commercetools payment method of the customer holding a Stripe PaymentMethod, once it is there. */
async function savedMethodOf(
  ctx: RunContext,
  customerId: string,
  token: string,
  timeoutMs = 10_000,
): Promise<StoredMethod | undefined> {
  const where = encodeURIComponent(`token(value="${token}")`);
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    const page = await ctRead<{ results: { id: string; customer?: { id: string } }[] }>(
      ctx,
      `/payment-methods?where=${where}`,
    );
    const found = page.results.find((m) => m.customer?.id === customerId);
    if (found) return { id: found.id, token };
    await sleep(250);
  }
  return undefined;
}

async function paymentFaults(ctx: RunContext, r: Rng, plan: Plan, payment: PaymentRecord): Promise<void> {
  for (const fault of plan.faults) {
    if (fault === 'stripe429') await readThrottle(ctx, payment.paymentIntentId);
    else await paymentWriteFault(ctx, payment.paymentId, fault, r);
  }
}

/**
 * A commercetools customer's checkout (saved cards): it saves the card it pays with, pays with
 * one the customer saved (a checkout of theirs saves one first when there is none), or pays
 * without saving; a fresh customer's first two payments may race on two replicas. Then the
 * merchant's steps, commercetools Checkout's charges of the card for other carts of the
 * customer, and the card's deletion.
 */
export async function runCustomerCheckout(ctx: RunContext, plan: Plan): Promise<void> {
  const r = stream(ctx.seed, 1_000_000 + plan.index);
  const c = plan.customer!;
  const customerId =
    c.customer === 'fresh'
      ? await newCustomer(ctx, `fresh-${plan.index}`, true)
      : ctx.pool[c.customer % ctx.pool.length]!;
  const checkout = await openCheckout(ctx, plan, plan.flavor, customerId, c.recurringCart);
  let json: { storePaymentDetails?: boolean; storedPaymentMethodId?: string } =
    c.pay === 'plain' ? {} : { storePaymentDetails: true };
  let card: string | undefined = c.card === 'needs-auth' ? 'pm_card_authenticationRequired' : 'pm_card_visa';

  if (c.pay === 'stored') {
    let listed = await listStored(ctx, r, checkout);
    if (listed.length === 0) {
      checkout.notes.push('no stored card yet: a checkout of the customer saves one first');
      const first = await openCheckout(ctx, plan, plan.flavor, customerId);
      const payment = await createPayment(ctx, r, plan, first, { storePaymentDetails: true });
      if (payment) {
        const shopper = await pay(ctx, r, first, payment, 'pm_card_visa');
        if (shopper.confirm?.outcome === 'approved') ctx.ledger.faults.add('savedCard');
        const token = (await piState(ctx, payment.paymentIntentId)).pi.payment_method;
        if (typeof token === 'string') await savedMethodOf(ctx, customerId, token);
      }
      listed = await listStored(ctx, r, checkout);
    }
    if (listed.length > 0) {
      json = { storedPaymentMethodId: r.pick(listed).id };
      card = undefined;
    } else checkout.notes.push('still no stored card: this checkout saves one');
  }

  let payment: PaymentRecord | undefined;
  if (c.race) {
    // The fresh customer's first two payments at once, each on a replica of its flavor.
    const other: Flavor = plan.flavor === 'auto' ? 'manual' : 'auto';
    const sibling = await openCheckout(ctx, plan, other, customerId);
    const [mine, theirs] = await Promise.all([
      createPayment(ctx, r, plan, checkout, json),
      createPayment(ctx, r, { flavor: other }, sibling, { storePaymentDetails: true }),
    ]);
    if (mine && theirs) ctx.ledger.faults.add('customerRace');
    if (theirs) await pay(ctx, r, sibling, theirs, 'pm_card_visa');
    payment = mine;
  } else {
    payment = await createPayment(ctx, r, plan, checkout, json);
  }
  if (!payment && json.storedPaymentMethodId) {
    // The stored card was refused (deleted meanwhile): the shopper types a card and saves it.
    checkout.notes.push('the stored card was refused: paying with a new card, saved');
    json = { storePaymentDetails: true };
    card = 'pm_card_visa';
    payment = await createPayment(ctx, r, plan, checkout, json);
  }
  if (!payment) return;
  await paymentFaults(ctx, r, plan, payment);
  const shopper = await pay(ctx, r, checkout, payment, card, false, true);
  if (shopper.confirm?.outcome !== 'approved') return;
  if (json.storedPaymentMethodId) ctx.ledger.faults.add('storedPay');
  else if (json.storePaymentDetails) {
    ctx.ledger.faults.add('savedCard');
    if (c.recurringCart) ctx.ledger.faults.add('recurringCart');
  }

  const st = await piState(ctx, payment.paymentIntentId);
  if (shopper.amount === shopper.cartAmount && ['requires_capture', 'succeeded'].includes(st.pi.status))
    await runSteps(ctx, r, plan, checkout, payment);
  if (c.pay === 'plain') return;

  // The card it paid with, as commercetools keeps it for the customer.
  const token = typeof st.pi.payment_method === 'string' ? st.pi.payment_method : st.pi.payment_method?.id;
  if (!token) return void checkout.notes.push('the PaymentIntent names no PaymentMethod');
  const method = json.storedPaymentMethodId
    ? { id: json.storedPaymentMethodId, token }
    : await savedMethodOf(ctx, customerId, token);
  if (!method) return void checkout.notes.push(`the saved card ${token} was not in commercetools after 10 s`);
  const pm = await stripeRead(() => ctx.cluster.stripe.paymentMethods.retrieve(token));
  const needsAuth = pm.card?.last4 === NEEDS_AUTH_LAST4;
  for (const [n, charge] of c.charges.entries())
    await runCharge(ctx, r, plan, customerId, method, charge, n, needsAuth);
  if (c.remove) await removeMethod(ctx, r, plan, customerId, method, c.remove);
}
