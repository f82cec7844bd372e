import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };

type Fields = Record<string, unknown>;

/** What commercetools keeps of a create's draft and the mock drops, by endpoint. */
const DROPPED: Partial<Record<string, { typeId: 'cart' | 'payment'; pick(draft: Fields): Fields }>> = {
  carts: { typeId: 'cart', pick: (d) => (typeof d.key === 'string' ? { key: d.key } : {}) },
  payments: {
    typeId: 'payment',
    pick: (d) => {
      const customer = d.customer as { typeId?: unknown; id?: unknown } | undefined;
      return {
        ...(typeof d.interfaceId === 'string' ? { interfaceId: d.interfaceId } : {}),
        ...(typeof d.anonymousId === 'string' ? { anonymousId: d.anonymousId } : {}),
        ...(typeof d.checkoutTransactionItemId === 'string'
          ? { checkoutTransactionItemId: d.checkoutTransactionItemId }
          : {}),
        ...(typeof customer?.id === 'string' ? { customer: { typeId: 'customer', id: customer.id } } : {}),
      };
    },
  },
};

function dropped(request: FastifyRequest, projectKey: string) {
  if (request.method !== 'POST') return undefined;
  const [, project, segment, ...rest] = request.url.split('?')[0]!.split('/');
  const rule = segment === undefined ? undefined : DROPPED[segment];
  if (project !== projectKey || !rule || rest.length > 0) return undefined;
  const fields = rule.pick((request.body ?? {}) as Fields);
  return Object.keys(fields).length > 0 ? { typeId: rule.typeId, fields } : undefined;
}

/**
 * The mock creates carts without their draft's `key`, and payments without `interfaceId`,
 * `anonymousId`, `checkoutTransactionItemId` and `customer`; commercetools stores them (and answers them), and they are what
 * clients look these resources up by. Each created resource gets them, in the storage and in the
 * answer, before any other request can see it answered.
 */
export function installDraftFields(app: FastifyInstance, storage: InMemoryStorage, projectKey: string): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode !== 201 || typeof payload !== 'string') return payload;
    const fix = dropped(request, projectKey);
    if (!fix) return payload;
    const created = JSON.parse(payload) as { id: string } & Fields;
    const stored = await storage.get(projectKey, fix.typeId, created.id);
    if (stored) await storage.add(projectKey, fix.typeId, { ...stored, ...fix.fields } as typeof stored);
    return JSON.stringify({ ...created, ...fix.fields });
  });
}
