import { type RunContext } from './calls';
import { send, type Answer } from './http';
import {
  isAnswer,
  type CheckoutRecord,
  type LogicalOp,
  type OpAction,
  type OpRequest,
  type PaymentRecord,
} from './ledger';
import type { Flavor, Replica } from './replicas';
import { sleep, type Rng } from './rng';

export interface OperateOptions {
  /** Send an Idempotency-Key header (the same on every retry). */
  keyed?: boolean;
  /** Use this key (another body with a used key). */
  key?: string;
  /** First attempt to two replicas at once. */
  concurrent?: boolean;
  /** Only replicas of this flavor (multicapture needs the manual ones). */
  flavor?: Flavor;
  tags?: string[];
  /** Called once before the first retry (e.g. wait until the webhook recorded the effect). */
  beforeRetry?: () => Promise<void>;
  /** Called with the replica as the first request leaves (e.g. kill it mid-request). */
  onFirstSend?: (replica: Replica) => Promise<void>;
  maxMs?: number;
}

/**
 * One intended operation, as commercetools Checkout or a merchant tool sends it: retried with the
 * same body (and key) after a 5xx, a conflict, a throttle or no answer, on any live replica,
 * until answered. Every request and its answer go to the ledger.
 */
export async function operate(
  ctx: RunContext,
  r: Rng,
  checkout: CheckoutRecord,
  payment: PaymentRecord,
  action: OpAction,
  amount: number | undefined,
  options: OperateOptions = {},
): Promise<LogicalOp> {
  const body = {
    actions: [
      {
        action,
        ...(amount !== undefined ? { amount: { centAmount: amount, currencyCode: checkout.currency } } : {}),
      },
    ],
  };
  const op = ctx.ledger.op(checkout, {
    paymentId: payment.paymentId,
    paymentIntentId: payment.paymentIntentId,
    action,
    ...(amount !== undefined ? { amount } : {}),
    body,
    tags: options.tags ?? [],
  });
  // Without a key, an identical request is the same operation as one still unanswered or answered
  // moments ago (docs/payment-model.md): a caller who means another one sends a key.
  const sent = JSON.stringify(body);
  const repeat = checkout.ops.some(
    (o) => o !== op && o.paymentId === payment.paymentId && JSON.stringify(o.body) === sent && !settledLongAgo(o),
  );
  if (repeat && !options.keyed && !options.key) op.tags.push('quick-repeat');
  op.key = options.key ?? (options.keyed || repeat ? `chaos-${ctx.seed}-${checkout.index}-${op.id}` : undefined);
  if (!op.key) delete op.key;
  const headers: Record<string, string> = {
    authorization: `Bearer ${ctx.cluster.opsToken}`,
    ...(op.key ? { 'idempotency-key': op.key } : {}),
  };
  const request = async (replica: Replica): Promise<Answer> => {
    const started = Date.now();
    const answer = await send(`${replica.url}/operations/payment-intents/${payment.paymentId}`, {
      json: body,
      headers,
      timeoutMs: 60_000,
    });
    op.requests.push({
      replica: replica.name,
      status: answer.status,
      ...(answer.body?.outcome ? { outcome: answer.body.outcome } : {}),
      ...(answer.body?.errors?.[0]?.code ? { errorCode: answer.body.errors[0].code } : {}),
      ms: Date.now() - started,
      at: Date.now(),
    });
    return answer;
  };
  const pick = (n: number) => r.int(0, n - 1);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let answers: Answer[];
    if (attempt === 1 && options.concurrent) {
      const [a, b] = await ctx.cluster.replicas.two(pick);
      answers = await Promise.all([request(a), request(b)]);
    } else {
      const replica = await ctx.cluster.replicas.choose(pick, options.flavor);
      const pending = request(replica);
      if (attempt === 1 && options.onFirstSend) await options.onFirstSend(replica);
      answers = [await pending];
    }
    if (answers.some((a) => isAnswer(a.status))) break;
    if (Date.now() - started > (options.maxMs ?? 60_000)) {
      ctx.ledger.outcomes.add('operation never answered');
      break;
    }
    ctx.ledger.outcomes.add(`operation retried after ${answers.map((a) => a.status || a.error).join('+')}`);
    if (attempt === 1 && options.beforeRetry) await options.beforeRetry();
    else await sleep(Math.min(200 * attempt, 2000));
  }
  const last = op.requests.filter((q) => isAnswer(q.status)).at(-1);
  ctx.ledger.outcomes.add(`${action}${op.tags.length ? ` [${op.tags.join(',')}]` : ''} → ${describe(last)}`);
  return op;
}

const describe = (q: OpRequest | undefined) =>
  !q
    ? 'no answer'
    : q.outcome
      ? `${q.outcome}${q.outcome === 'rejected' && q.errorCode ? ` (${q.errorCode})` : ''}`
      : `${q.status} ${q.errorCode ?? ''}`.trim();

/** Answered, and long enough ago (15 s, the document says 10) that an identical request is a new operation. */
function settledLongAgo(op: LogicalOp): boolean {
  const answered = op.requests.filter((q) => isAnswer(q.status));
  return answered.length > 0 && Date.now() - Math.max(...answered.map((q) => q.at)) > 15_000;
}
