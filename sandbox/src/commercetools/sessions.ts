import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { ctError } from './errors';
import { bearerToken, type TokenRegistry } from './tokens';

/** A commercetools Checkout session as the Session API answers it. */
export interface CheckoutSession {
  id: string;
  state: 'ACTIVE' | 'EXPIRED';
  expiryAt: string;
  lifetimeMinutes: number;
  activeCart: { cartRef: { id: string } };
  metadata: Record<string, unknown>;
  createdAt: string;
  lastModifiedAt: string;
}

export interface SessionDraft {
  cart?: { cartRef?: { id?: unknown } };
  metadata?: unknown;
  lifetimeMinutes?: unknown;
}

const DEFAULT_LIFETIME_MINUTES = 60;

export class SessionStore {
  private sessions = new Map<string, CheckoutSession>();

  create(
    cartId: string,
    metadata: Record<string, unknown>,
    lifetimeMinutes = DEFAULT_LIFETIME_MINUTES,
  ): CheckoutSession {
    const now = new Date();
    const session: CheckoutSession = {
      id: randomUUID(),
      state: 'ACTIVE',
      expiryAt: new Date(now.getTime() + lifetimeMinutes * 60_000).toISOString(),
      lifetimeMinutes,
      activeCart: { cartRef: { id: cartId } },
      metadata,
      createdAt: now.toISOString(),
      lastModifiedAt: now.toISOString(),
    };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): CheckoutSession | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.state === 'ACTIVE' && Date.parse(session.expiryAt) <= Date.now()) {
      session.state = 'EXPIRED';
      session.lastModifiedAt = new Date().toISOString();
    }
    return {
      ...session,
      activeCart: { cartRef: { ...session.activeCart.cartRef } },
      metadata: { ...session.metadata },
    };
  }

  expire(id: string): CheckoutSession | undefined {
    const session = this.sessions.get(id);
    if (!session) return undefined;
    session.state = 'EXPIRED';
    session.expiryAt = new Date().toISOString();
    session.lastModifiedAt = session.expiryAt;
    return this.get(id);
  }

  clear(): void {
    this.sessions.clear();
  }
}

export interface SessionRoutesOptions {
  prefix: string;
  projectKey: string;
  store: SessionStore;
  tokens: TokenRegistry;
  cartExists: (cartId: string) => Promise<boolean>;
}

/**
 * The Session API (`{sessionUrl}/{projectKey}/sessions`) that the payments SDK's session hook
 * reads. Needs a bearer token with `manage_sessions` or `manage_project` on the project.
 */
export function registerSessionRoutes(app: FastifyInstance, options: SessionRoutesOptions): void {
  const { prefix, store, tokens } = options;

  const authorize = async (request: FastifyRequest<{ Params: { projectKey: string } }>, reply: FastifyReply) => {
    const token = bearerToken(request);
    const info = token ? tokens.lookup(token) : undefined;
    if (!info || !info.active) {
      return reply.code(401).send({ ...ctError(401, 'invalid_token', 'invalid_token'), error: 'invalid_token' });
    }
    const { projectKey } = request.params;
    const scopes = info.scope.split(' ');
    if (!scopes.includes(`manage_sessions:${projectKey}`) && !scopes.includes(`manage_project:${projectKey}`)) {
      return reply
        .code(403)
        .send(
          ctError(
            403,
            'insufficient_scope',
            `Insufficient scope. One of the following scopes is missing: manage_sessions:${projectKey}`,
          ),
        );
    }
    if (projectKey !== options.projectKey) {
      return reply.code(404).send(ctError(404, 'ResourceNotFound', `The project '${projectKey}' does not exist.`));
    }
  };

  app.post<{ Params: { projectKey: string }; Body: SessionDraft }>(
    `${prefix}/:projectKey/sessions`,
    { preHandler: authorize },
    async (request, reply) => {
      const body = request.body ?? {};
      const cartId = body.cart?.cartRef?.id;
      if (typeof cartId !== 'string' || cartId.length === 0) {
        return reply.code(400).send(ctError(400, 'InvalidInput', 'cart.cartRef.id is required.'));
      }
      if (!(await options.cartExists(cartId))) {
        return reply
          .code(400)
          .send(ctError(400, 'ReferencedResourceNotFound', `The cart with ID '${cartId}' was not found.`));
      }
      const metadata = body.metadata ?? {};
      if (typeof metadata !== 'object' || Array.isArray(metadata)) {
        return reply.code(400).send(ctError(400, 'InvalidInput', 'metadata must be an object.'));
      }
      const lifetime = body.lifetimeMinutes ?? DEFAULT_LIFETIME_MINUTES;
      if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 1 || lifetime > 1440) {
        return reply
          .code(400)
          .send(ctError(400, 'InvalidInput', 'lifetimeMinutes must be an integer between 1 and 1440.'));
      }
      return reply.code(201).send(store.create(cartId, metadata as Record<string, unknown>, lifetime));
    },
  );

  app.get<{ Params: { projectKey: string; id: string } }>(
    `${prefix}/:projectKey/sessions/:id`,
    { preHandler: authorize },
    async (request, reply) => {
      const session = store.get(request.params.id);
      if (!session) {
        return reply
          .code(404)
          .send(ctError(404, 'ResourceNotFound', `The session with ID '${request.params.id}' was not found.`));
      }
      return session;
    },
  );
}
