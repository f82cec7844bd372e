import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { ctError } from './errors';

/** What the mock's own token store lacks: issue time, scope and client, for introspection. */
export interface TokenInfo {
  clientId: string;
  scope: string;
  expiresAtMs: number;
}

/** The narrow part of the mock's OAuth2 store that the sandbox uses (public API of the mock). */
export interface MockAuthStore {
  addToken(
    token: { access_token: string; token_type: 'Bearer'; expires_in: number; scope: string },
    clientId?: string,
  ): void;
  validateToken(token: string): boolean;
}

export class TokenRegistry {
  private tokens = new Map<string, TokenInfo>();

  constructor(private readonly store: MockAuthStore) {}

  remember(accessToken: string, info: TokenInfo): void {
    this.tokens.set(accessToken, info);
  }

  /** Mints a token directly (test control), e.g. with a chosen scope or an expiry in the past. */
  mint(
    clientId: string,
    scope: string,
    expiresInSeconds: number,
  ): { access_token: string; expires_in: number; scope: string } {
    const token = {
      access_token: randomBytes(24).toString('base64url'),
      token_type: 'Bearer' as const,
      expires_in: expiresInSeconds,
      scope,
    };
    this.store.addToken(token, clientId);
    this.remember(token.access_token, { clientId, scope, expiresAtMs: Date.now() + expiresInSeconds * 1000 });
    return token;
  }

  lookup(accessToken: string): (TokenInfo & { active: boolean }) | undefined {
    const info = this.tokens.get(accessToken);
    if (!info || !this.store.validateToken(accessToken)) return undefined;
    return { ...info, active: info.expiresAtMs > Date.now() };
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, value] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && value ? value : undefined;
}

function basicClientId(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.toLowerCase().startsWith('basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const sep = decoded.indexOf(':');
  return sep > 0 ? decoded.slice(0, sep) : undefined;
}

/**
 * OAuth2 additions on top of the mock:
 * - client credentials read the scope from the form body (the mock only reads the query
 *   string) and default to `manage_project:{projectKey}` instead of the mock's `todo`;
 * - `POST /oauth/introspect`, which the payments SDK's OAuth2 hook calls;
 * - expired tokens are refused by the API like the platform does.
 */
export function installOAuthExtras(app: FastifyInstance, registry: TokenRegistry, projectKey: string): void {
  app.addHook('preValidation', async (request) => {
    if (request.method !== 'POST' || !request.url.startsWith('/oauth/token')) return;
    const query = request.query as Record<string, unknown>;
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (!query.scope) {
      query.scope =
        typeof body.scope === 'string' && body.scope.length > 0 ? body.scope : `manage_project:${projectKey}`;
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || !request.url.startsWith('/oauth/token') || reply.statusCode !== 200)
      return payload;
    if (typeof payload !== 'string') return payload;
    try {
      const token = JSON.parse(payload) as { access_token?: string; expires_in?: number; scope?: string };
      if (token.access_token) {
        registry.remember(token.access_token, {
          clientId: basicClientId(request) ?? '',
          scope: token.scope ?? '',
          expiresAtMs: Date.now() + (token.expires_in ?? 0) * 1000,
        });
      }
    } catch {
      // not a token answer: nothing to remember
    }
    return payload;
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/oauth/') || request.url.startsWith('/_sandbox')) return;
    const token = bearerToken(request);
    if (!token) return;
    const info = registry.lookup(token);
    if (info && !info.active) {
      return reply.code(401).send({ ...ctError(401, 'invalid_token', 'invalid_token'), error: 'invalid_token' });
    }
  });

  // Encapsulated so that its form parser does not clash with the one the mock's OAuth plugin registers.
  app.register(async (instance) => {
    instance.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    instance.post('/oauth/introspect', introspect);
  });

  async function introspect(request: FastifyRequest, reply: FastifyReply) {
    if (!basicClientId(request)) {
      return reply.code(401).send({
        ...ctError(401, 'invalid_client', 'Please provide valid client credentials using HTTP Basic Authentication.'),
        error: 'invalid_client',
      });
    }
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : undefined;
    if (!token) {
      return reply
        .code(400)
        .send({ ...ctError(400, 'invalid_request', 'Missing required parameter: token.'), error: 'invalid_request' });
    }
    const info = registry.lookup(token);
    if (!info || !info.active) return { active: false };
    // commercetools reports `exp` in milliseconds since the epoch.
    return { active: true, scope: info.scope, exp: info.expiresAtMs, client_id: info.clientId };
  }
}
