import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { ctError } from './errors';
import { resolveReference } from './own-api';

declare module 'fastify' {
  interface FastifyRequest {
    /** Per line item of a cart draft, in order: the recurrence info to store (or none). */
    lineItemRecurrence?: (RecurrenceInfo | undefined)[];
  }
}

interface RecurrenceInfo {
  recurrencePolicy: { typeId: 'recurrence-policy'; id: string };
  priceSelectionMode: string;
}

const PRICE_SELECTION_MODES = ['Fixed', 'Dynamic'];

function isCartCreate(request: FastifyRequest, projectKey: string): boolean {
  if (request.method !== 'POST') return false;
  const [, project, segment, ...rest] = request.url.split('?')[0]!.split('/');
  return project === projectKey && segment === 'carts' && rest.length === 0;
}

/**
 * A cart's line items keep their draft's `recurrenceInfo` (`{recurrencePolicy, priceSelectionMode}`),
 * which is what makes a cart recurring for the payments SDK (`isRecurringCart`: a customer and a line
 * item with recurrence info). The mock validates the field and drops it; here the policy is resolved
 * before the cart is created (400 `ReferencedResourceNotFound` for an unknown one) and the line
 * items get it, in the storage and in the answer.
 */
export function installLineItemRecurrence(app: FastifyInstance, storage: InMemoryStorage, projectKey: string): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!isCartCreate(request, projectKey)) return;
    const lineItems = (request.body as { lineItems?: unknown } | undefined)?.lineItems;
    if (!Array.isArray(lineItems) || !lineItems.some((li) => li?.recurrenceInfo)) return;
    const infos: (RecurrenceInfo | undefined)[] = [];
    for (const [i, li] of lineItems.entries()) {
      const info = (li as { recurrenceInfo?: { recurrencePolicy?: unknown; priceSelectionMode?: unknown } })
        ?.recurrenceInfo;
      if (!info) {
        infos.push(undefined);
        continue;
      }
      if (typeof info.priceSelectionMode !== 'string' || !PRICE_SELECTION_MODES.includes(info.priceSelectionMode)) {
        return reply.code(400).send(
          ctError(400, 'InvalidJsonInput', 'Request body does not contain valid JSON.', {
            detailedErrorMessage: `lineItems[${i}].recurrenceInfo.priceSelectionMode: must be one of ${PRICE_SELECTION_MODES.join(', ')}`,
          }),
        );
      }
      const policy = await resolveReference(
        storage,
        projectKey,
        `lineItems[${i}].recurrenceInfo.recurrencePolicy`,
        'recurrence-policy',
        info.recurrencePolicy,
      );
      if ('error' in policy) return reply.code(policy.error.statusCode).send(policy.error);
      infos.push({
        recurrencePolicy: { typeId: 'recurrence-policy', id: policy.id },
        priceSelectionMode: info.priceSelectionMode,
      });
    }
    request.lineItemRecurrence = infos;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const infos = request.lineItemRecurrence;
    if (!infos || reply.statusCode !== 201 || typeof payload !== 'string') return payload;
    const created = JSON.parse(payload) as { id: string; lineItems: Record<string, unknown>[] };
    const withInfo = (items: Record<string, unknown>[]) =>
      items.map((li, i) => (infos[i] ? { ...li, recurrenceInfo: infos[i] } : li));
    const stored = (await storage.get(projectKey, 'cart', created.id)) as unknown as {
      lineItems: Record<string, unknown>[];
    } | null;
    if (stored) await storage.add(projectKey, 'cart', { ...stored, lineItems: withInfo(stored.lineItems) } as never);
    return JSON.stringify({ ...created, lineItems: withInfo(created.lineItems) });
  });
}
