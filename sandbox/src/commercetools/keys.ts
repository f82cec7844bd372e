import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { ctError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    claimedKey?: string;
  }
}

type ResourceType = Parameters<InMemoryStorage['getByKey']>[1];

/** Endpoints whose resources have a project-unique `key`, by path segment. */
const KEYED: Partial<Record<string, ResourceType>> = {
  payments: 'payment',
  carts: 'cart',
  customers: 'customer',
  types: 'type',
  'shipping-methods': 'shipping-method',
  'tax-categories': 'tax-category',
  zones: 'zone',
  products: 'product',
  'product-types': 'product-type',
  'payment-methods': 'payment-method' as ResourceType,
};

interface KeyWrite {
  typeId: ResourceType;
  key: string;
  /** The resource being updated (by id or by its current key); none for a create. */
  target?: { id: string } | { key: string };
}

/** The key a create or an update (its last `setKey` action) gives a resource, if any. */
function keyWrite(request: FastifyRequest, projectKey: string): KeyWrite | undefined {
  if (request.method !== 'POST') return undefined;
  const [, project, segment, target, ...rest] = request.url.split('?')[0]!.split('/');
  const typeId = segment === undefined ? undefined : KEYED[segment];
  if (project !== projectKey || !typeId || rest.length > 0) return undefined;
  const body = (request.body ?? {}) as { key?: unknown; actions?: unknown };
  if (target === undefined || target === '') {
    return typeof body.key === 'string' && body.key !== '' ? { typeId, key: body.key } : undefined;
  }
  if (!Array.isArray(body.actions)) return undefined;
  const setKey = body.actions.filter((a: { action?: unknown }) => a?.action === 'setKey').at(-1) as
    { key?: unknown } | undefined;
  if (typeof setKey?.key !== 'string' || setKey.key === '') return undefined;
  const by = decodeURIComponent(target);
  return { typeId, key: setKey.key, target: by.startsWith('key=') ? { key: by.slice(4) } : { id: by } };
}

/**
 * commercetools refuses a key that another resource of the type has (400 DuplicateField), on
 * create and on `setKey`; the mock checks none. A key is read by the storage's key index, and
 * writes of one key are serialized so that concurrent ones see each other.
 */
export function installUniqueKeys(app: FastifyInstance, storage: InMemoryStorage, projectKey: string): void {
  const claimed = new Set<string>();
  app.addHook('preHandler', async (request, reply) => {
    const write = keyWrite(request, projectKey);
    if (!write) return;
    const claim = `${write.typeId}\u0000${write.key}`;
    const holder = await storage.getByKey(projectKey, write.typeId, write.key);
    let own = false;
    if (holder && write.target) {
      const target = write.target;
      own = 'id' in target ? holder.id === target.id : 'key' in holder && holder.key === target.key;
    }
    if (claimed.has(claim) || (holder && !own)) {
      return reply.code(400).send(
        ctError(400, 'DuplicateField', `A duplicate value '"${write.key}"' exists for field 'key'.`, {
          field: 'key',
          duplicateValue: write.key,
        }),
      );
    }
    if (own) return;
    claimed.add(claim);
    request.claimedKey = claim;
  });
  app.addHook('onResponse', async (request) => {
    if (request.claimedKey) claimed.delete(request.claimedKey);
  });
}
