import type { FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { requireSecret } from './auth';
import { invalid } from './errors';
import { expandList, type Params } from './form';
import { listObject } from './lists';
import type { EmulatorState } from './state';

declare module 'fastify' {
  interface FastifyRequest {
    stripeRequestId?: string;
  }
}

export const idOf = (request: FastifyRequest): string => (request.params as Record<string, string>).id ?? '';

/** Query and body parameters together, as Stripe reads them. */
export const paramsOf = (request: FastifyRequest): Params => ({
  ...((request.query as Params | undefined) ?? {}),
  ...((request.body as Params | undefined) ?? {}),
});

/** Route option: only the secret key may call. */
export const secretOnly = { preHandler: async (request: FastifyRequest) => requireSecret(request) };

/** Runs a state change on behalf of an API request, so that its events carry `request.id` and the key. */
export function asRequest<T>(state: EmulatorState, request: FastifyRequest, change: () => T): T {
  const key = request.headers['idempotency-key'];
  return state.requestContext.run(
    { id: request.stripeRequestId ?? 'req_unknown', idempotencyKey: typeof key === 'string' ? key : null },
    change,
  );
}

const PREFIXES: [string, keyof EmulatorState][] = [
  ['pi_', 'paymentIntents'],
  ['ch_', 'charges'],
  ['re_', 'refunds'],
  ['dp_', 'disputes'],
  ['cus_', 'customers'],
  ['pm_', 'paymentMethods'],
  ['txn_', 'balanceTransactions'],
];

function lookup(state: EmulatorState, id: string): object | undefined {
  const entry = PREFIXES.find(([prefix]) => id.startsWith(prefix));
  if (!entry) return undefined;
  const store = state[entry[1]] as Map<string, object>;
  return store.get(id);
}

/**
 * `expand[]` as Stripe applies it: each dotted path replaces an id by its object (and a charge's
 * `refunds` by the list of its refunds). A path that names nothing expandable is refused.
 */
export function expand<T extends object>(state: EmulatorState, object: T, params: Params): T {
  const paths = expandList(params);
  const out = structuredClone(object);
  for (const path of paths) {
    let node: Record<string, unknown> = out as Record<string, unknown>;
    const parts = path.split('.');
    for (const [depth, field] of parts.entries()) {
      const here = parts.slice(0, depth + 1).join('.');
      if (field === 'refunds' && node.object === 'charge') {
        const refunds = [...state.refunds.values()].filter((r) => r.charge === node.id).reverse();
        node[field] = listObject<Stripe.Refund>(structuredClone(refunds), `/v1/charges/${String(node.id)}/refunds`);
        break;
      }
      const value = node[field];
      if (value === null) break;
      if (typeof value === 'string') {
        const found = lookup(state, value);
        if (!found) throw invalid(`This property cannot be expanded (${here}).`, 'expand');
        node[field] = structuredClone(found);
      } else if (typeof value !== 'object' || value === undefined) {
        throw invalid(`This property cannot be expanded (${here}).`, 'expand');
      }
      node = node[field] as Record<string, unknown>;
    }
  }
  return out;
}
