/**
 * Chaos consistency run: N processor replicas (their own OS processes) behind one Stripe webhook
 * endpoint, concurrent checkouts and merchant operations while faults hit commercetools, Stripe,
 * webhook delivery and the replicas themselves (kill -9). After quiescence and an operator's
 * `reconcile`, an oracle of its own (the ledger of every request, and docs/payment-model.md
 * written again in expectation.ts) checks the money invariants. Nothing of processor/src is
 * imported: the connector is only reached over HTTP and through its commands.
 */
import { stripeRead, type RunContext } from './calls';
import { runCommand, startCluster } from './cluster';
import { runCheckout } from './driver';
import { clearFaults, FAULT_CLASSES, startBackgroundChaos, stripeControl, type FaultClass } from './faults';
import { pool, send } from './http';
import { checkInvariants, INVARIANTS, type Invariant, type Violation } from './invariants';
import { Ledger } from './ledger';
import { observe } from './observe';
import { drawPlans, poolSize, topUpPlan, type Plan } from './plan';
import { repaySample } from './repay';
import { createPool, runCustomerCheckout } from './saved';
import { sleep, stream } from './rng';

export interface ChaosOptions {
  checkouts: number;
  seed: number;
  replicas: number;
  concurrency?: number;
  /** Change plans so that every fault class is in one (default true). */
  force?: boolean;
  /** How many failed or released carts invariant (g) pays again (default 10). */
  repay?: number;
  /** Changes the drawn plans (to replay one kind of checkout while investigating). */
  tweak?: (plans: Plan[]) => void;
}

export interface ChaosReport {
  options: Required<Omit<ChaosOptions, 'tweak'>>;
  durationMs: number;
  phasesMs: Record<string, number>;
  faults: Record<string, number>;
  missingClasses: FaultClass[];
  outcomes: Record<string, number>;
  violations: Violation[];
  byInvariant: Record<Invariant, number>;
  /** The operator's reconcile: exit code, summary line, and its JSON report when it printed one. */
  reconcile: { code: number; summary: string; report?: unknown };
  webhooks: Record<string, Record<string, number>>;
  replicaStartsMs: number[];
  logLines: number;
  /** The run's own failures (a checkout that crashed the driver): not verdicts on the connector. */
  errors: string[];
  /** The ledger, for a dump (`--dump file`). */
  ledger: Ledger;
  command: string;
}

/** Until the emulator has had nothing to deliver for a while (retries included). */
async function quiesce(ctx: RunContext, timeoutMs = 120_000): Promise<boolean> {
  const started = Date.now();
  let quietSince: number | undefined;
  while (Date.now() - started < timeoutMs) {
    const status = await send(`${ctx.cluster.stripeUrl}/_sandbox/webhooks/status`);
    if (status.body?.pending === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince > 500) return true;
    } else quietSince = undefined;
    await sleep(50);
  }
  ctx.ledger.outcomes.add('webhook deliveries did not settle');
  return false;
}

/** Refunds still pending and payments still processing get their bank's answer (Stripe's moves). */
async function settleLeftovers(ctx: RunContext, seed: number): Promise<void> {
  const r = stream(seed, -2);
  const { stripe } = ctx.cluster;
  const refunds = await stripeRead(() => stripe.refunds.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }));
  for (const refund of refunds.filter((x) => x.status === 'pending')) {
    const outcome = r.chance(0.75) ? 'succeeded' : 'failed';
    await stripeControl(ctx, `/refunds/${refund.id}/settle`, { outcome });
    ctx.ledger.faults.add('refundPending');
    ctx.ledger.outcomes.add(`pending refund settled ${outcome}`);
  }
  const pis = await stripeRead(() => stripe.paymentIntents.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 }));
  for (const pi of pis.filter((x) => x.status === 'processing')) {
    await stripeControl(ctx, `/payment_intents/${pi.id}/settle`, {});
    ctx.ledger.outcomes.add('processing payment settled after the run');
  }
}

export async function runChaos(input: ChaosOptions): Promise<ChaosReport> {
  const { tweak, ...rest } = input;
  const options: Required<Omit<ChaosOptions, 'tweak'>> = {
    concurrency: 6,
    force: true,
    repay: 10,
    ...rest,
  };
  const started = Date.now();
  const phasesMs: Record<string, number> = {};
  let mark = started;
  const phase = (name: string) => {
    phasesMs[name] = Date.now() - mark;
    mark = Date.now();
  };
  const cluster = await startCluster(options.replicas);
  phase('start (sandbox, post-deploy, replicas)');
  const ledger = new Ledger();
  const ctx: RunContext = { cluster, ledger, seed: options.seed, pool: [] };
  const errors: string[] = [];
  try {
    ctx.pool = await createPool(ctx, poolSize(options.checkouts));
    const plans = drawPlans(options.seed, options.checkouts, options.force);
    tweak?.(plans);
    const background = startBackgroundChaos(ctx, stream(options.seed, -1));
    const run = async (plan: Plan) => {
      try {
        await (plan.customer ? runCustomerCheckout(ctx, plan) : runCheckout(ctx, plan));
      } catch (error) {
        errors.push(`checkout ${plan.index}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    };
    await pool(plans, options.concurrency, run);
    // With `force`, a class the checkouts did not produce after all (their steps depend on each
    // other and on the timing) gets checkouts of its own, twice at most.
    for (let round = 0, next = options.checkouts; options.force && round < 2; round++) {
      const missing = (Object.keys(FAULT_CLASSES) as FaultClass[]).filter((k) => ledger.faults.get(k) === 0);
      const extra = missing.flatMap((k) => topUpPlan(options.seed, next++, k, ctx.pool.length) ?? []);
      if (extra.length === 0) break;
      ledger.outcomes.add('checkouts added for a class that had not happened', extra.length);
      await pool(extra, options.concurrency, run);
    }
    await background.stop();
    await cluster.replicas.allUp();
    phase('checkouts');

    await settleLeftovers(ctx, options.seed);
    const { unused } = await clearFaults(ctx);
    if (unused > 0) ledger.outcomes.add('faults left unused at the end', unused);
    await quiesce(ctx);
    phase('quiescence');
    const rec = await runCommand('src/cli/reconcile.ts', ['--since', '1h', '--json'], cluster.env, cluster.scan);
    let summary = rec.stderr.trim().split('\n').at(-1) ?? '';
    let reconcileReport: unknown;
    try {
      const json = JSON.parse(rec.stdout) as Record<string, number> & { error?: { message: string } };
      reconcileReport = json;
      summary = json.error
        ? json.error.message
        : `checked ${json.checked}, in sync ${json.inSync}, fixed ${json.fixed}, failed ${json.failed}, ignored ${json.ignored}`;
    } catch {
      // not JSON: the last line of stderr says why
    }
    await quiesce(ctx);
    phase('reconcile');
    await repaySample(ctx, stream(options.seed, -3), options.repay);
    await quiesce(ctx);
    // Work a replica may still finish after answering its last webhook (an order, a state).
    await sleep(1000);
    await quiesce(ctx);
    phase('(g) paying again');
    const state = await observe(ctx);
    const violations = checkInvariants(state, ledger, cluster.scan);
    phase('observe and check');

    const byInvariant = Object.fromEntries(
      Object.keys(INVARIANTS).map((k) => [k, violations.filter((v) => v.invariant === k).length]),
    ) as Record<Invariant, number>;
    const missingClasses = (Object.keys(FAULT_CLASSES) as FaultClass[]).filter((k) => ledger.faults.get(k) === 0);
    return {
      options,
      durationMs: Date.now() - started,
      phasesMs,
      faults: ledger.faults.counts,
      missingClasses,
      outcomes: ledger.outcomes.counts,
      violations,
      byInvariant,
      reconcile: { code: rec.code, summary, ...(reconcileReport ? { report: reconcileReport } : {}) },
      webhooks: cluster.proxy.stats,
      replicaStartsMs: cluster.replicas.all.flatMap((r) => r.startMs),
      logLines: cluster.scan.lines,
      errors,
      ledger,
      command: `npm run chaos -- --replicas ${options.replicas} --checkouts ${options.checkouts} --seed ${options.seed} --concurrency ${options.concurrency}${options.repay === 10 ? '' : ` --repay ${options.repay}`}${options.force ? '' : ' --no-force'}`,
    };
  } finally {
    await cluster.stop();
  }
}
