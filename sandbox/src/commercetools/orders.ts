import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { ctError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    orderingCartId?: string;
    orderDraftStates?: { paymentState?: string; shipmentState?: string; orderState?: string };
  }
}

interface CartRecord {
  id: string;
  version: number;
  cartState: string;
}

/**
 * What commercetools enforces when an order is created from a cart and the mock does not: the
 * cart version must be the current one (409 otherwise), a cart is ordered once (it becomes
 * `Ordered`), and order numbers are unique. Concurrent creations from one cart see a conflict,
 * as the platform's optimistic locking gives them.
 */
export function installOrderRules(app: FastifyInstance, storage: InMemoryStorage, projectKey: string): void {
  const ordering = new Set<string>();
  const path = `/${projectKey}/orders`;

  app.addHook('preHandler', async (request: FastifyRequest, reply) => {
    if (request.method !== 'POST' || request.url.split('?')[0] !== path) return;
    const body = (request.body ?? {}) as { cart?: { id?: string }; version?: number; orderNumber?: string };
    const cartId = body.cart?.id;
    if (!cartId) return;
    const cart = (await storage.get(projectKey, 'cart', cartId)) as unknown as CartRecord | null;
    if (!cart) return;
    if (ordering.has(cartId)) {
      return reply.code(409).send(
        ctError(409, 'ConcurrentModification', `Object ${cartId} has a different version than expected.`, {
          currentVersion: cart.version,
        }),
      );
    }
    if (cart.cartState === 'Ordered') {
      return reply.code(400).send(ctError(400, 'InvalidOperation', `The cart ${cartId} has already been ordered.`));
    }
    if (typeof body.version === 'number' && body.version !== cart.version) {
      return reply
        .code(409)
        .send(
          ctError(
            409,
            'ConcurrentModification',
            `Object ${cartId} has a different version than expected. Expected: ${body.version}. Actual: ${cart.version}.`,
            { currentVersion: cart.version },
          ),
        );
    }
    if (body.orderNumber) {
      const existing = await storage.query(projectKey, 'order', {
        where: [`orderNumber="${body.orderNumber.replace(/"/g, '')}"`],
      });
      if (existing.count > 0) {
        return reply
          .code(400)
          .send(
            ctError(
              400,
              'DuplicateField',
              `A duplicate value '"${body.orderNumber}"' exists for field 'orderNumber'.`,
              { field: 'orderNumber', duplicateValue: body.orderNumber },
            ),
          );
      }
    }
    ordering.add(cartId);
    request.orderingCartId = cartId;
    const draft = body as { paymentState?: string; shipmentState?: string; orderState?: string };
    request.orderDraftStates = {
      ...(draft.paymentState ? { paymentState: draft.paymentState } : {}),
      ...(draft.shipmentState ? { shipmentState: draft.shipmentState } : {}),
      ...(draft.orderState ? { orderState: draft.orderState } : {}),
    };
  });

  // The mock ignores the states of an OrderFromCartDraft; commercetools sets them.
  app.addHook('onSend', async (request, reply, payload) => {
    const states = request.orderDraftStates;
    if (!states || reply.statusCode !== 201 || typeof payload !== 'string' || Object.keys(states).length === 0)
      return payload;
    const order = JSON.parse(payload) as { id: string } & Record<string, unknown>;
    const fixed = { ...order, ...states };
    const stored = (await storage.get(projectKey, 'order', order.id)) as unknown as Record<string, unknown> | null;
    if (stored) await storage.add(projectKey, 'order', { ...stored, ...states } as never);
    return JSON.stringify(fixed);
  });

  app.addHook('onResponse', async (request, reply) => {
    const cartId = request.orderingCartId;
    if (!cartId) return;
    try {
      if (reply.statusCode === 201) {
        const cart = (await storage.get(projectKey, 'cart', cartId)) as unknown as CartRecord | null;
        if (cart) {
          await storage.add(projectKey, 'cart', {
            ...cart,
            cartState: 'Ordered',
            version: cart.version + 1,
            lastModifiedAt: new Date().toISOString(),
          } as never);
        }
      }
    } finally {
      ordering.delete(cartId);
    }
  });
}
