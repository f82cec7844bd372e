import type { Payment } from '@commercetools/platform-sdk';
import { statusOf } from '../commercetools/port';
import { describePaymentName, METADATA, namedPayment } from '../core/metadata';
import type { PaymentsDeps } from '../core/deps';
import { upstreamFailureOf } from '../upstream/failure';
import { desiredCtTransactions, paymentMethodType } from './apply';
import { loadSnapshot } from '../stripe/snapshot';
import { planPaymentActions } from './plan-actions';
import { wasAttempted } from './coverage';
import { syncPaymentIntent } from './sync-payment-intent';

export interface ReconcileItem {
  paymentIntentId: string;
  paymentId?: string;
  /** Update actions commercetools lacked (what drifted). */
  drift: string[];
  /**
   * `missing-payment`: the PaymentIntent names a commercetools payment that does not exist, or
   * took money while its payment is linked to another PaymentIntent: money no payment records.
   */
  result: 'in-sync' | 'fixed' | 'would-fix' | 'ignored' | 'missing-payment' | 'failed';
  error?: string;
}

export interface ReconcileReport {
  since: string;
  checked: number;
  inSync: number;
  fixed: number;
  failed: number;
  ignored: number;
  /** PaymentIntents whose commercetools payment does not exist: money Stripe holds that commercetools does not show. */
  missing: number;
  /** PaymentIntents left out because the run stopped (see `stopped`). */
  notChecked: number;
  /** Why the run stopped early: an upstream that did not answer. */
  stopped?: string;
  items: ReconcileItem[];
}

export type ReconcileCounts = Omit<ReconcileReport, 'since' | 'items' | 'stopped'>;

/** Told while the run goes, so that an operator sees it move. */
export interface ReconcileEvents {
  /** Every page of the Stripe listing: PaymentIntents seen so far, and how many are this project's. */
  listing?(seen: number, matching: number): void;
  listed?(total: number): void;
  /** Each payment once checked, with the counts so far (`notChecked`: still to do). */
  checked?(item: ReconcileItem, counts: ReconcileCounts): void;
}

/**
 * Lost webhooks and dashboard changes: every PaymentIntent of this project created since
 * `since` is compared with its commercetools payment and, unless `dryRun`, synced with the same
 * function the webhooks use.
 */
export async function reconcile(
  deps: PaymentsDeps,
  since: Date,
  options: { dryRun?: boolean; concurrency?: number; events?: ReconcileEvents } = {},
): Promise<ReconcileReport> {
  const events = options.events ?? {};
  const ids: string[] = [];
  let seen = 0;
  for await (const pi of deps.stripe.paymentIntents.list({
    created: { gte: Math.floor(since.getTime() / 1000) },
    limit: 100,
  })) {
    if (pi.metadata[METADATA.projectKey] === deps.config.commercetools.projectKey && namedPayment(pi.metadata))
      ids.push(pi.id);
    if (++seen % 100 === 0) events.listing?.(seen, ids.length);
  }
  events.listed?.(ids.length);
  const items: ReconcileItem[] = [];
  let stopped: string | undefined;
  const count = (result: ReconcileItem['result']) => items.filter((i) => i.result === result).length;
  const counts = (): ReconcileCounts => ({
    checked: items.length,
    inSync: count('in-sync'),
    fixed: count('fixed') + count('would-fix'),
    failed: count('failed'),
    ignored: count('ignored'),
    missing: count('missing-payment'),
    notChecked: ids.length - items.length,
  });
  const queue = [...ids];
  // An upstream that did not answer is not asked about the rest: each would wait as long again.
  const worker = async () => {
    for (let id = queue.shift(); id && !stopped; id = queue.shift()) {
      const { item, unreachable } = await reconcileOne(deps, id, options.dryRun ?? false);
      items.push(item);
      stopped ??= unreachable;
      events.checked?.(item, counts());
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  return { since: since.toISOString(), ...counts(), ...(stopped ? { stopped } : {}), items };
}

async function reconcileOne(
  deps: PaymentsDeps,
  paymentIntentId: string,
  dryRun: boolean,
): Promise<{ item: ReconcileItem; unreachable?: string }> {
  const seen: { paymentId?: string } = {};
  try {
    return { item: await checkOne(deps, paymentIntentId, dryRun, seen) };
  } catch (error) {
    const failure = upstreamFailureOf(error, deps.config);
    return {
      item: {
        paymentIntentId,
        ...seen,
        drift: [],
        result: 'failed',
        error: failure?.message ?? (error instanceof Error ? error.message : String(error)),
      },
      ...(failure ? { unreachable: failure.message } : {}),
    };
  }
}

async function checkOne(
  deps: PaymentsDeps,
  paymentIntentId: string,
  dryRun: boolean,
  seen: { paymentId?: string },
): Promise<ReconcileItem> {
  const snapshot = await loadSnapshot(deps.stripe, paymentIntentId, { refunds: true, disputes: true });
  const pi = snapshot.paymentIntent;
  const named = namedPayment(pi.metadata)!;
  seen.paymentId = describePaymentName(named);
  let payment: Payment;
  try {
    payment = named.id !== undefined ? await deps.ct.getPayment(named.id) : await deps.ct.getPaymentByKey(named.key);
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
    // Made alongside a payment commercetools then refused: its client secret was never handed
    // out, so nobody can pay it. Not money missing from commercetools. Anything that shows a
    // payment attempt (a charge, an error, a status past the method) is reported.
    const neverHandedOut = named.key !== undefined && !wasAttempted(pi);
    return {
      paymentIntentId,
      paymentId: seen.paymentId,
      drift: [],
      result: neverHandedOut ? 'ignored' : 'missing-payment',
    };
  }
  const paymentId = (seen.paymentId = payment.id);
  // Another PaymentIntent naming the same payment, never handed out: nothing to record, unless
  // somebody paid it anyway (a dashboard, a leaked secret): money no payment records.
  if (payment.interfaceId && payment.interfaceId !== paymentIntentId) {
    return { paymentIntentId, paymentId, drift: [], result: wasAttempted(pi) ? 'missing-payment' : 'ignored' };
  }
  const method = paymentMethodType(snapshot);
  const drift = planPaymentActions(payment, desiredCtTransactions(payment, snapshot), {
    interfaceId: paymentIntentId,
    statusCode: snapshot.paymentIntent.status,
    ...(method ? { method } : {}),
  }).map((a) =>
    a.action === 'addTransaction'
      ? `addTransaction ${a.transaction.type} ${a.transaction.state} ${a.transaction.amount.centAmount}`
      : a.action,
  );
  if (dryRun) return { paymentIntentId, paymentId, drift, result: drift.length > 0 ? 'would-fix' : 'in-sync' };
  const result = await syncPaymentIntent(deps, paymentIntentId, { refunds: true, disputes: true });
  if (result.status === 'ignored') return { paymentIntentId, paymentId, drift, result: 'ignored' };
  return {
    paymentIntentId,
    paymentId,
    drift,
    result: drift.length > 0 || result.order === 'created' ? 'fixed' : 'in-sync',
  };
}

/** `24h`, `7d`, `30m` or an ISO date. */
export function parseSince(value: string, now = new Date()): Date {
  const relative = /^(\d+)([mhd])$/.exec(value);
  if (relative) {
    const ms = Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 'm' | 'h' | 'd'];
    return new Date(now.getTime() - ms);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new Error(`--since must be like 24h, 7d, 30m or an ISO date (got "${value}")`);
  return date;
}
