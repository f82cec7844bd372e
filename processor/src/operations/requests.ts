import type { Payment, PaymentUpdateAction } from '@commercetools/platform-sdk';
import { PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import type { CommercetoolsPort } from '../core/ports';
import { digest } from '../core/digest';
import { invalidInput } from '../core/errors';
import type { ModifyAction, ModifyResult } from './types';

/**
 * Operation requests are recorded on the commercetools payment (interface interactions of the
 * payments SDK's type) before Stripe is called, and their answers after. The record's id makes
 * the Stripe idempotency key, so a retry of the same request (see `identify`) sends the same key
 * whether or not a webhook recorded the first attempt's effect meanwhile, and a new request never
 * replays an earlier one. Interactions are append-only, so a record is never lost or rewritten.
 */

export const REQUEST_TYPE = 'operation-request';
export const ANSWER_TYPE = 'operation-answer';
/** A keyless request repeats an unanswered identical one only this long (Stripe keeps keys 24 h). */
export const RETRY_WINDOW_MS = 24 * 3_600_000;
/**
 * An answer is stamped when its write is planned; the caller gets it only once the write landed,
 * which may take seconds when commercetools is slow. An identical keyless request arriving within
 * this long after the stamp may be the retry of a caller that never got the answer, so it is.
 */
export const ANSWER_GRACE_MS = 10_000;

/** How a request is told apart from another: the caller's key, or its body. */
export interface RequestIdentity {
  /** Fingerprint of the caller's `Idempotency-Key`, when there is one. */
  key?: string;
  /** Fingerprint of the action (action, amount, transactionId, merchantReference). */
  body: string;
}

/** What a recorded request decided the first time; its retries do exactly the same. */
export interface RecordedRequest {
  id: string;
  identity: RequestIdentity;
  /** The Stripe parameters chosen (amounts, final capture...), replayed by every retry. */
  plan: Record<string, unknown>;
  createdAt: string;
  answer?: ModifyResult;
  answeredAt?: string;
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Refuses (400) an `Idempotency-Key` header that is not 1 to 255 printable ASCII characters. */
export function checkIdempotencyKey(idempotencyKey: string | undefined): void {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
    throw invalidInput('Idempotency-Key must be 1 to 255 printable ASCII characters without spaces.');
  }
}

export function identify(action: ModifyAction, idempotencyKey?: string): RequestIdentity {
  checkIdempotencyKey(idempotencyKey);
  return { ...(idempotencyKey !== undefined ? { key: digest({ idempotencyKey }) } : {}), body: digest(action) };
}

interface Interaction {
  type: string;
  interactionId: string;
  request?: string;
  response?: string;
  createdAt?: string;
}

function interactions(payment: Payment): Interaction[] {
  return payment.interfaceInteractions.flatMap((i) => {
    const f = i.fields ?? {};
    return typeof f.type === 'string' && typeof f.interactionId === 'string' ? [f as unknown as Interaction] : [];
  });
}

function parse<T>(text: string | undefined): T | undefined {
  try {
    return text ? (JSON.parse(text) as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Every operation request recorded on the payment, with its answer when it was answered. */
export function recordedRequests(payment: Payment): RecordedRequest[] {
  const all = interactions(payment);
  const answers = new Map(all.filter((i) => i.type === ANSWER_TYPE).map((i) => [i.interactionId, i]));
  return all.flatMap((i) => {
    if (i.type !== REQUEST_TYPE) return [];
    const request = parse<{ identity?: RequestIdentity; plan?: Record<string, unknown> }>(i.request);
    if (!request?.identity) return [];
    const answered = answers.get(`${i.interactionId}:answer`);
    const answer = parse<ModifyResult>(answered?.response);
    return [
      {
        id: i.interactionId.replace(/^op:/, ''),
        identity: request.identity,
        plan: request.plan ?? {},
        createdAt: i.createdAt ?? '',
        ...(answer ? { answer, answeredAt: answered?.createdAt ?? '' } : {}),
      },
    ];
  });
}

/**
 * The recorded request this one repeats: with a key, the one with that key (answered or not).
 * Without, the newest request with the same body, recorded in the retry window, that was not yet
 * answered when this one arrived (or answered too shortly before for its caller to know): its
 * retry, or its twin sent at the same time to another replica.
 */
export function findRequest(
  payment: Payment,
  identity: RequestIdentity,
  arrivedAt: number,
): RecordedRequest | undefined {
  const requests = recordedRequests(payment);
  if (identity.key) return requests.find((r) => r.identity.key === identity.key);
  return requests
    .filter(
      (r) =>
        !r.identity.key &&
        r.identity.body === identity.body &&
        arrivedAt - Date.parse(r.createdAt) < RETRY_WINDOW_MS &&
        (!r.answer || Date.parse(r.answeredAt ?? '') + ANSWER_GRACE_MS > arrivedAt),
    )
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
}

/**
 * Records a request before its Stripe call (one version-guarded write). When a twin got there
 * first (the same request at the same time on another replica), that one is answered instead.
 */
export async function recordRequest(
  ct: CommercetoolsPort,
  payment: Payment,
  identity: RequestIdentity,
  action: ModifyAction,
  plan: Record<string, unknown>,
  arrivedAt: number,
): Promise<RecordedRequest> {
  let recorded: RecordedRequest | undefined;
  await ct.updatePayment(payment, (current) => {
    const twin = findRequest(current, identity, arrivedAt);
    if (twin) {
      recorded = twin;
      return [];
    }
    // Unique on this payment: the version this write is planned against (or the caller's key).
    const id = identity.key ? `k${identity.key}` : `v${current.version}`;
    const createdAt = new Date().toISOString();
    recorded = { id, identity, plan, createdAt };
    return [
      {
        action: 'addInterfaceInteraction',
        type: { typeId: 'type', key: PaymentInterfaceInteractionTypeKey },
        fields: {
          interactionId: `op:${id}`,
          type: REQUEST_TYPE,
          createdAt,
          request: JSON.stringify({ action: action.action, ...describe(action), identity, plan }),
        },
      },
    ];
  });
  return recorded!;
}

/** The answer as an action of the write that records the operation's outcome (none if there). */
export function answerAction(current: Payment, request: RecordedRequest, answer: ModifyResult): PaymentUpdateAction[] {
  const interactionId = `op:${request.id}:answer`;
  if (interactions(current).some((i) => i.interactionId === interactionId)) return [];
  return [
    {
      action: 'addInterfaceInteraction',
      type: { typeId: 'type', key: PaymentInterfaceInteractionTypeKey },
      fields: {
        interactionId,
        type: ANSWER_TYPE,
        createdAt: new Date().toISOString(),
        response: JSON.stringify(answer),
      },
    },
  ];
}

function describe(action: ModifyAction): Record<string, unknown> {
  const { action: _name, ...rest } = action;
  return rest;
}
