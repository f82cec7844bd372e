import { sessionCall, type RunContext } from './calls';
import { cartWriteFault, loseCreateAnswers } from './faults';
import { must, send, type Answer } from './http';
import { isAnswer, type CallRecord, type DeletionRecord, type TxCartRecord, type TxOp } from './ledger';
import type { ChargePlan, CustomerPlan, Plan } from './plan';
import type { Flavor, Replica } from './replicas';
import { sleep, type Rng } from './rng';

/** A stored card of a customer: its commercetools payment method and Stripe PaymentMethod. */
export interface StoredMethod {
  id: string;
  token: string;
}

interface TransactOptions {
  key?: string;
  tags: string[];
  /** Replicas of this flavor (a deployment's replicas share their capture method). */
  flavor: Flavor;
  /** First attempt to two replicas at once. */
  concurrent?: boolean;
  /** Called with the replica as the first request leaves (kill it mid-request); `done` once it was answered. */
  onFirstSend?: (replica: Replica, done: () => boolean) => Promise<void>;
}

/**
 * Off-session charges in flight, and one that must be alone: Stripe's lost answers to a charge
 * (a fault on every `ct-transaction:` key) would otherwise be shared with a charge running at the
 * same moment, whose Stripe client's retries absorb them.
 */
class ChargeGate {
  private running = 0;
  private alone?: Promise<void>;
  private drained?: () => void;

  async enter(): Promise<void> {
    while (this.alone) await this.alone;
    this.running += 1;
  }

  leave(): void {
    this.running -= 1;
    if (this.running === 0) this.drained?.();
  }

  async only<T>(work: () => Promise<T>): Promise<T> {
    while (this.alone) await this.alone;
    let release!: () => void;
    this.alone = new Promise<void>((resolve) => (release = resolve));
    while (this.running > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    try {
      return await work();
    } finally {
      this.alone = undefined;
      release();
    }
  }
}
const gates = new WeakMap<object, ChargeGate>();
const gateOf = (ctx: RunContext) => {
  const gate = gates.get(ctx.ledger) ?? new ChargeGate();
  gates.set(ctx.ledger, gate);
  return gate;
};

const frac = (r: Rng, total: number, lo: number, hi: number) =>
  Math.max(1, Math.min(total, Math.floor(total * (lo + r.next() * (hi - lo)))));

/**
 * One charge of a stored card as commercetools Checkout sends it (`POST /operations/transactions`
 * with its OAuth2 token): retried with the same body and key after a 5xx, a 409, a 429 or no
 * answer, until answered. Every request and its answer go to the ledger.
 */
async function transact(
  ctx: RunContext,
  r: Rng,
  cart: TxCartRecord,
  body: TxOp['body'],
  options: TransactOptions,
): Promise<TxOp> {
  const gate = gateOf(ctx);
  await gate.enter();
  try {
    return await transactNow(ctx, r, cart, body, options);
  } finally {
    gate.leave();
  }
}

async function transactNow(
  ctx: RunContext,
  r: Rng,
  cart: TxCartRecord,
  body: TxOp['body'],
  options: TransactOptions,
): Promise<TxOp> {
  const op = ctx.ledger.txOp(cart, { body, ...(options.key ? { key: options.key } : {}), tags: options.tags });
  const headers: Record<string, string> = {
    authorization: `Bearer ${ctx.cluster.txToken}`,
    ...(options.key ? { 'idempotency-key': options.key } : {}),
  };
  const request = async (replica: Replica): Promise<Answer> => {
    const sentAt = Date.now();
    const answer = await send(`${replica.url}/operations/transactions`, { json: body, headers, timeoutMs: 60_000 });
    const status = answer.body?.transactionStatus;
    op.requests.push({
      replica: replica.name,
      status: answer.status,
      ...(status?.state ? { state: status.state } : {}),
      ...(status?.errors?.[0]?.message ? { reason: status.errors[0].message } : {}),
      ...(answer.body?.paymentReference ? { paymentReference: answer.body.paymentReference } : {}),
      ...(answer.body?.errors?.[0]?.code ? { errorCode: answer.body.errors[0].code } : {}),
      sentAt,
      at: Date.now(),
    });
    return answer;
  };
  const pick = (n: number) => r.int(0, n - 1);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let answers: Answer[];
    if (attempt === 1 && options.concurrent) {
      const [a, b] = await ctx.cluster.replicas.two(pick, options.flavor);
      op.tags.push(a === b ? 'concurrent-one-replica' : 'concurrent');
      answers = await Promise.all([request(a), request(b)]);
    } else {
      const replica = await ctx.cluster.replicas.choose(pick, options.flavor);
      let done = false;
      const pending = request(replica).finally(() => (done = true));
      if (attempt === 1 && options.onFirstSend) await options.onFirstSend(replica, () => done);
      answers = [await pending];
    }
    if (answers.some((a) => isAnswer(a.status))) break;
    if (Date.now() - started > 60_000) {
      ctx.ledger.outcomes.add('off-session charge never answered');
      break;
    }
    ctx.ledger.outcomes.add(`off-session charge retried after ${answers.map((a) => a.status || a.error).join('+')}`);
    await sleep(Math.min(200 * attempt, 2000));
  }
  const last = op.requests.filter((q) => isAnswer(q.status)).at(-1);
  const said = !last ? 'no answer' : last.state ? last.state : `${last.status} ${last.errorCode ?? ''}`.trim();
  ctx.ledger.outcomes.add(`off-session charge${op.tags.length ? ` [${op.tags.join(',')}]` : ''} → ${said}`);
  return op;
}

/**
 * A cart of the customer charged with the stored card by commercetools Checkout: what is left
 * to pay, or one or two parts of it (never all), with the plan's fault around the first charge.
 */
export async function runCharge(
  ctx: RunContext,
  r: Rng,
  plan: Plan,
  customerId: string,
  method: StoredMethod,
  charge: ChargePlan,
  n: number,
  needsAuth: boolean,
): Promise<void> {
  // Another body under a used key is refused whatever it asks: it asks for what the cart could
  // still pay (a part), so that a refusal can only be for the key.
  const partial = charge.partial || charge.fault === 'key-other-body';
  const created = await must(`${ctx.cluster.ct}/_sandbox/checkout-session`, {
    currency: plan.currency,
    quantity: r.int(1, 3),
    customerId,
    withoutSession: true,
  });
  const cart: TxCartRecord = {
    index: plan.index,
    customerId,
    cartId: created.cartId,
    currency: created.amountPlanned.currencyCode,
    cartAmount: created.amountPlanned.centAmount,
    fractionDigits: created.amountPlanned.fractionDigits,
    partial,
    methodId: method.id,
    token: method.token,
    needsAuth,
    ops: [],
    notes: [],
  };
  ctx.ledger.txCarts.push(cart);
  const total = cart.cartAmount;
  // Parts: at most 45 % and 30 % of the cart, so that they never pay it all.
  const amounts = partial
    ? [frac(r, total, 0.2, 0.45), ...(r.chance(0.5) ? [frac(r, total, 0.1, 0.3)] : [])]
    : [undefined];
  const keyOf = (i: number) => `chaos-tx-${ctx.seed}-${plan.index}-${n}-${i}`;
  for (const [i, amount] of amounts.entries()) {
    const body: TxOp['body'] = {
      cartId: cart.cartId,
      paymentInterface: 'stripe',
      checkoutTransactionItemId: `chaos-${ctx.seed}-${plan.index}-${n}-${i}`,
      paymentMethod: { id: method.id },
      ...(amount !== undefined
        ? { amount: { centAmount: amount, currencyCode: cart.currency } }
        : { futureOrderNumber: `CHAOS-${ctx.seed}-${plan.index}-${n}` }),
    };
    const fault = i === 0 ? charge.fault : 'none';
    const keyed = charge.keyed || fault === 'key-other-body';
    // Copies and the retry after a kill go to another replica of the same configuration (a
    // deployment's replicas share it): the manual ones, of which a run of three has two.
    const flavor: Flavor = fault === 'concurrent' || fault === 'kill' ? 'manual' : plan.flavor;
    const options: TransactOptions = { ...(keyed ? { key: keyOf(i) } : {}), tags: [], flavor };
    if (fault === 'ct409' || fault === 'ct503') {
      await cartWriteFault(ctx, cart.cartId, fault, r);
      ctx.ledger.faults.add(fault === 'ct409' ? 'txCt409' : 'txCt503');
      options.tags.push(fault);
    }
    if (fault === 'stripe500') options.tags.push('lost-answer');
    if (fault === 'concurrent') options.concurrent = true;
    if (fault === 'kill') {
      // The cart's update (the payment put on it, after the charge) is slowed so that the kill
      // often lands after Stripe charged and before the answer.
      await cartWriteFault(ctx, cart.cartId, 'ctSlow', r);
      options.tags.push('kill');
      options.onFirstSend = async (replica, done) => {
        await sleep(r.int(30, 1500));
        // Another replica may be down (one at a time): the kill waits while the request runs.
        for (;;) {
          const killed = ctx.cluster.replicas.killAndRestart(replica, (error) => {
            if (error) ctx.ledger.outcomes.add(`replica restart failed: ${error.message.split('\n')[0]}`);
          });
          if (killed) return void ctx.ledger.faults.add('txKill');
          if (done()) return void options.tags.push('not-killed');
          await sleep(100);
        }
      };
    }
    const first =
      fault === 'stripe500'
        ? await gateOf(ctx).only(async () => {
            await loseCreateAnswers(ctx);
            return transactNow(ctx, r, cart, body, options);
          })
        : await transact(ctx, r, cart, body, options);
    if (fault === 'stripe500' && !isAnswer(first.requests[0]?.status ?? 0)) ctx.ledger.faults.add('txStripe500');
    if (first.requests.some((q) => isAnswer(q.status))) ctx.ledger.faults.add('txCharge');
    if (amount !== undefined && !needsAuth) ctx.ledger.faults.add('txPartial');
    if (needsAuth) ctx.ledger.faults.add('txAuthRequired');
    if (fault === 'concurrent' && first.tags.includes('concurrent')) ctx.ledger.faults.add('txConcurrent');
    if (fault === 'repeat') {
      // The same charge again: Checkout did not get (or keep) the answer.
      await sleep(r.int(0, 400));
      await transact(ctx, r, cart, body, { ...options, tags: ['repeat'], concurrent: false });
      ctx.ledger.faults.add('txRepeat');
    }
    if (fault === 'key-other-body') {
      // The key again with another amount: 400, and nothing charged.
      const other = {
        ...body,
        amount: { centAmount: Math.max(1, Math.floor((amount ?? total) / 2)), currencyCode: cart.currency },
      };
      delete other.futureOrderNumber;
      await transact(ctx, r, cart, other, { ...options, tags: ['key-other-body'], concurrent: false });
      ctx.ledger.faults.add('txKeyOtherBody');
    }
  }
}

/**
 * The customer deletes the stored card (`DELETE /stored-payment-methods/:id` with a session of a
 * cart of theirs): once, twice one after the other, or on two replicas at once; retried after a
 * 5xx, a 409 or no answer.
 */
export async function removeMethod(
  ctx: RunContext,
  r: Rng,
  plan: Plan,
  customerId: string,
  method: StoredMethod,
  how: NonNullable<CustomerPlan['remove']>,
): Promise<void> {
  const created = await must(`${ctx.cluster.ct}/_sandbox/checkout-session`, {
    currency: plan.currency,
    customerId,
  });
  const record: DeletionRecord = { customerId, methodId: method.id, token: method.token, tags: [how], requests: [] };
  ctx.ledger.deletions.push(record);
  const path = `/stored-payment-methods/${method.id}`;
  const call = async (replica: Replica) => {
    const sentAt = Date.now();
    const res = await sessionCall(replica, 'DELETE', path, created.sessionId);
    const answer: CallRecord = {
      replica: replica.name,
      status: res.status,
      ...(res.body?.errors?.[0]?.code ? { errorCode: res.body.errors[0].code } : {}),
      sentAt,
      at: Date.now(),
    };
    record.requests.push(answer);
    return answer;
  };
  const pick = (n: number) => r.int(0, n - 1);
  const once = async (concurrent: boolean) => {
    for (let attempt = 1; attempt <= 20; attempt++) {
      const answers =
        concurrent && attempt === 1
          ? await Promise.all((await ctx.cluster.replicas.two(pick)).map(call))
          : [await call(await ctx.cluster.replicas.choose(pick))];
      if (answers.some((a) => isAnswer(a.status))) return answers;
      ctx.ledger.outcomes.add(`card deletion retried after ${answers.map((a) => a.status).join('+')}`);
      await sleep(150 * attempt);
    }
    return [];
  };
  const first = await once(how === 'concurrent');
  if (how === 'twice') await once(false);
  const statuses = record.requests.filter((q) => isAnswer(q.status)).map((q) => q.status);
  ctx.ledger.outcomes.add(`card deletion [${how}] → ${statuses.join('/') || 'no answer'}`);
  if (!first.some((q) => q.status === 204)) return;
  ctx.ledger.faults.add(
    how === 'once' ? 'methodDelete' : how === 'twice' ? 'methodDeleteTwice' : 'methodDeleteConcurrent',
  );
}
