import { countTransactions, piState, waitForTransaction, type RunContext } from './calls';
import { loseCaptureAnswers, loseRefundAnswers, paymentWriteFault, stripeControl } from './faults';
import { send } from './http';
import type { CheckoutRecord, OpAction, PaymentRecord } from './ledger';
import { operate, type OperateOptions } from './operate';
import type { Plan, Step } from './plan';
import { sleep, type Rng } from './rng';

/**
 * The merchant's side after the shopper paid: operations through the connector (captures,
 * refunds, cancels, reversals, some lost, retried, sent twice or cut by a kill -9), actions in the
 * Stripe dashboard, and Stripe's own moves (expiry, failed refunds, disputes).
 */
export async function runSteps(
  ctx: RunContext,
  r: Rng,
  plan: Plan,
  checkout: CheckoutRecord,
  payment: PaymentRecord,
): Promise<void> {
  for (const step of plan.steps) {
    checkout.steps.push(step);
    const done = await runStep(ctx, r, plan, checkout, payment, step);
    if (!done) checkout.notes.push(`step ${step} skipped: precondition not met`);
  }
  if (plan.dispute) await dispute(ctx, r, plan.dispute, checkout, payment);
}

const frac = (r: Rng, total: number, lo: number, hi: number) =>
  Math.max(1, Math.min(total, Math.floor(total * (lo + r.next() * (hi - lo)))));

async function runStep(
  ctx: RunContext,
  r: Rng,
  plan: Plan,
  checkout: CheckoutRecord,
  payment: PaymentRecord,
  step: Step,
): Promise<boolean> {
  const pi = payment.paymentIntentId;
  const st = await piState(ctx, pi);
  const capturable = st.pi.status === 'requires_capture' ? st.pi.amount_capturable : 0;
  const keyed = () => r.chance(plan.keyed);
  const op = (action: OpAction, amount?: number, options: OperateOptions = {}) =>
    operate(ctx, r, checkout, payment, action, amount, { keyed: keyed(), ...options });
  const dashboard = async (kind: 'capture' | 'refund' | 'cancel', json: Record<string, unknown>) => {
    const res = await send(`${ctx.cluster.stripeUrl}/_sandbox/dashboard/payment_intents/${pi}/${kind}`, { json });
    const ok = res.status === 200;
    checkout.dashboard.push({
      kind,
      paymentIntentId: pi,
      ...(typeof json.amount === 'number' ? { amount: json.amount } : {}),
      ok,
      ...(kind === 'refund' && ok ? { refundId: res.body.id } : {}),
      ...(ok ? {} : { error: res.body?.error?.code ?? String(res.status) }),
    });
    return ok;
  };
  /** The operation a kill or a concurrent copy is about: whatever the payment allows now. */
  const anyOp = (): [OpAction, number | undefined, OperateOptions] | undefined => {
    if (capturable > 0)
      return r.chance(0.5)
        ? ['capturePayment', capturable, {}]
        : ['capturePayment', frac(r, capturable, 0.3, 0.7), { flavor: 'manual' }];
    if (st.refundable > 0) return ['refundPayment', frac(r, st.refundable, 0.1, 0.5), {}];
    return undefined;
  };

  switch (step) {
    case 'capture-full':
      if (!capturable) return false;
      await op('capturePayment', capturable);
      return true;
    case 'capture-partial':
      if (!capturable) return false;
      await op('capturePayment', frac(r, capturable, 0.3, 0.8));
      return true;
    case 'multicapture': {
      if (!capturable) return false;
      for (let i = 0, n = r.int(2, 3); i < n; i++) {
        const now = await piState(ctx, pi);
        if (now.pi.status !== 'requires_capture') break;
        await op('capturePayment', frac(r, now.pi.amount_capturable, 0.15, 0.35), { flavor: 'manual' });
      }
      ctx.ledger.faults.add('multicapture');
      const rest = await piState(ctx, pi);
      if (rest.pi.status === 'requires_capture') {
        const end = r.pick(['capture-rest', 'cancel-rest', 'leave'] as const);
        if (end === 'capture-rest') await op('capturePayment', rest.pi.amount_capturable, { flavor: 'manual' });
        if (end === 'cancel-rest') await op('cancelPayment');
      }
      return true;
    }
    case 'cancel':
      await op('cancelPayment');
      return true;
    case 'reverse':
      await op('reversePayment');
      return true;
    case 'refund':
      if (!st.refundable) return false;
      await op('refundPayment', frac(r, st.refundable, 0.1, 0.5));
      return true;
    case 'refund-same-twice': {
      const amount = frac(r, st.refundable, 0.1, 0.3);
      if (2 * amount > st.refundable) return false;
      await op('refundPayment', amount);
      await op('refundPayment', amount, { tags: ['same-again'] });
      return true;
    }
    case 'refund-lost':
    case 'capture-lost': {
      const refund = step === 'refund-lost';
      if (refund ? !st.refundable : !capturable) return false;
      const amount = refund
        ? frac(r, st.refundable, 0.1, 0.5)
        : r.chance(0.5)
          ? capturable
          : frac(r, capturable, 0.3, 0.7);
      const type = refund ? 'Refund' : 'Charge';
      const before = await countTransactions(ctx, payment.paymentId, type, amount);
      if (refund) await loseRefundAnswers(ctx);
      else await loseCaptureAnswers(ctx, pi);
      const tags = ['lost-answer'];
      await op(refund ? 'refundPayment' : 'capturePayment', amount, {
        tags,
        ...(refund ? {} : { flavor: 'manual' as const }),
        beforeRetry: async () => {
          if (await waitForTransaction(ctx, payment.paymentId, type, amount, before)) {
            tags.push('after-webhook');
            ctx.ledger.faults.add('retryAfterWebhook');
          }
        },
      });
      return true;
    }
    case 'kill': {
      const chosen = anyOp();
      if (!chosen) return false;
      const [action, amount, options] = chosen;
      const tags = ['kill'];
      await paymentWriteFault(ctx, payment.paymentId, 'ctSlow', r);
      await op(action, amount, {
        ...options,
        tags,
        onFirstSend: async (replica) => {
          await sleep(r.int(30, 1500));
          const killed = ctx.cluster.replicas.killAndRestart(replica, (error) => {
            if (error) ctx.ledger.outcomes.add(`replica restart failed: ${error.message.split('\n')[0]}`);
          });
          if (killed) ctx.ledger.faults.add('kill');
          else tags.push('not-killed');
        },
      });
      return true;
    }
    case 'concurrent': {
      // With a key the two copies are one operation whatever the timing. Without one they are
      // one only while the first is unanswered, which the caller cannot see: keyless copies ask
      // for what a second operation could not get anyway (all that is capturable or refundable).
      const withKey = keyed();
      const chosen: [OpAction, number | undefined, OperateOptions?] | undefined = withKey
        ? anyOp()
        : capturable > 0
          ? ['capturePayment', capturable]
          : st.refundable > 0
            ? ['refundPayment', st.refundable]
            : undefined;
      if (!chosen) return false;
      const [action, amount] = chosen;
      // Both copies may go to any replica: a partial capture is then final on an automatic one.
      await op(action, amount, {
        concurrent: true,
        keyed: withKey,
        tags: [withKey ? 'concurrent' : 'concurrent-keyless'],
      });
      ctx.ledger.faults.add('concurrentOp');
      return true;
    }
    case 'dashboard-capture': {
      if (!capturable) return false;
      const partial = r.chance(0.5);
      const amount = partial ? frac(r, capturable, 0.3, 0.7) : capturable;
      if (await dashboard('capture', { amount, ...(partial ? { final: r.chance(0.6) } : {}) }))
        ctx.ledger.faults.add('dashboardCapture');
      return true;
    }
    case 'dashboard-cancel':
      if (!capturable) return false;
      if (await dashboard('cancel', {})) ctx.ledger.faults.add('dashboardCancel');
      return true;
    case 'dashboard-refund':
      if (!st.refundable) return false;
      if (await dashboard('refund', { amount: frac(r, st.refundable, 0.1, 0.5) }))
        ctx.ledger.faults.add('dashboardRefund');
      return true;
    case 'expire': {
      if (!capturable) return false;
      const res = await send(`${ctx.cluster.stripeUrl}/_sandbox/payment_intents/${pi}/expire`, { json: {} });
      checkout.stripe.push({ kind: 'expire', paymentIntentId: pi, ok: res.status === 200 });
      if (res.status === 200) ctx.ledger.faults.add('expiry');
      // A capture after the authorization expired moves nothing and must say so.
      if (r.chance(0.5)) await op('capturePayment', capturable, { tags: ['after-expiry'] });
      return true;
    }
    case 'refund-fail': {
      if (!st.refunds.some((x) => x.status === 'succeeded' || x.status === 'pending')) {
        if (!st.refundable) return false;
        await op('refundPayment', frac(r, st.refundable, 0.1, 0.5));
      }
      const now = await piState(ctx, pi);
      const target = now.refunds.filter((x) => x.status === 'succeeded' || x.status === 'pending');
      if (target.length === 0) return false;
      const refund = r.pick(target);
      const settle = (outcome: string) =>
        send(`${ctx.cluster.stripeUrl}/_sandbox/refunds/${refund.id}/settle`, { json: { outcome } });
      // A refund that started pending (a pending window) succeeds first, then fails.
      if (refund.status === 'pending') await settle('succeeded');
      const res = await settle('failed');
      checkout.stripe.push({ kind: 'refund-failed', paymentIntentId: pi, ok: res.status === 200, detail: refund.id });
      if (res.status === 200) ctx.ledger.faults.add('refundFailed');
      return true;
    }
    case 'refund-pending':
      if (!st.refundable) return false;
      await stripeControl(ctx, '/refunds/mode', { pending: true });
      try {
        await op('refundPayment', frac(r, st.refundable, 0.1, 0.5), { tags: ['pending-mode'] });
      } finally {
        await stripeControl(ctx, '/refunds/mode', { pending: false });
      }
      return true;
    case 'key-other-body': {
      const amount = frac(r, st.refundable, 0.1, 0.3);
      if (amount + 1 > st.refundable - amount) return false;
      const first = await op('refundPayment', amount, { keyed: true });
      await op('refundPayment', amount + 1, { key: first.key!, tags: ['key-other-body'] });
      return true;
    }
  }
}

async function dispute(
  ctx: RunContext,
  r: Rng,
  kind: NonNullable<Plan['dispute']>,
  checkout: CheckoutRecord,
  payment: PaymentRecord,
): Promise<void> {
  const pi = payment.paymentIntentId;
  const st = await piState(ctx, pi);
  if (st.captured === 0) return void checkout.notes.push('dispute skipped: nothing captured');
  const res = await send(`${ctx.cluster.stripeUrl}/_sandbox/payment_intents/${pi}/dispute`, {
    json: kind === 'inquiry' ? { inquiry: true } : { amount: frac(r, st.captured, 0.5, 1) },
  });
  checkout.stripe.push({ kind: 'dispute', paymentIntentId: pi, ok: res.status === 200, detail: kind });
  if (res.status !== 200) return;
  ctx.ledger.faults.add('dispute');
  if (kind === 'open') return;
  await sleep(r.int(50, 400));
  const close = await send(`${ctx.cluster.stripeUrl}/_sandbox/disputes/${res.body.id}/close`, {
    json: { outcome: kind === 'lost' ? 'lost' : 'won' },
  });
  checkout.stripe.push({ kind: 'dispute-closed', paymentIntentId: pi, ok: close.status === 200, detail: kind });
}
