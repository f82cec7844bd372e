import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { StripeApiError } from './errors';

interface Entry {
  fingerprint: string;
  done: boolean;
  status?: number;
  body?: unknown;
}

/** Statuses whose result Stripe does not keep: the request did not run (validation, auth, conflicts). */
const NOT_SAVED = new Set([400, 401, 404, 409, 429]);
const KEPT_MS = 24 * 3600 * 1000;

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyEntry?: { key: string; entry: Entry };
  }
}

function fingerprint(request: FastifyRequest): string {
  const path = request.url.split('?')[0];
  return createHash('sha256')
    .update(`${request.method} ${path} ${JSON.stringify(request.body ?? {})}`)
    .digest('hex');
}

/**
 * `Idempotency-Key`: the same key with the same parameters replays the first answer; with other
 * parameters it is a 400 `idempotency_error`; while the first is still running, a 409.
 */
export function installIdempotency(
  app: FastifyInstance,
  keyOf: (request: FastifyRequest) => string,
): { clear(): void } {
  const entries = new Map<string, Entry & { at: number }>();

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/v1/')) return;
    const header = request.headers['idempotency-key'];
    if (typeof header !== 'string' || header.length === 0) return;
    if (header.length > 255)
      throw new StripeApiError(400, 'invalid_request_error', 'Idempotency keys can be at most 255 characters long.', {
        param: 'Idempotency-Key',
      });
    const key = `${keyOf(request)}:${header}`;
    const print = fingerprint(request);
    const existing = entries.get(key);
    if (existing && Date.now() - existing.at < KEPT_MS) {
      if (existing.fingerprint !== print) {
        throw new StripeApiError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${header}' if you meant to execute a different request.`,
        );
      }
      if (!existing.done) {
        throw new StripeApiError(
          409,
          'idempotency_error',
          `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${header}. Please try again later.`,
          { code: 'idempotency_key_in_use' },
        );
      }
      return reply
        .code(existing.status!)
        .header('idempotent-replayed', 'true')
        .header('idempotency-key', header)
        .send(existing.body);
    }
    const entry = { fingerprint: print, done: false, at: Date.now() };
    entries.set(key, entry);
    request.idempotencyEntry = { key, entry };
  });

  // The result is recorded as the handler produced it (before any late fault replaces the
  // answer), but the key stays "in progress" until the answer has left.
  app.addHook('onSend', async (request, reply, payload) => {
    const tracked = request.idempotencyEntry;
    if (!tracked) return payload;
    if (NOT_SAVED.has(reply.statusCode)) {
      entries.delete(tracked.key);
      request.idempotencyEntry = undefined;
      return payload;
    }
    tracked.entry.status = reply.statusCode;
    tracked.entry.body = typeof payload === 'string' ? JSON.parse(payload) : payload;
    reply.header('idempotency-key', String(request.headers['idempotency-key']));
    return payload;
  });
  app.addHook('onResponse', async (request) => {
    const tracked = request.idempotencyEntry;
    if (!tracked) return;
    request.idempotencyEntry = undefined;
    if (tracked.entry.status === undefined) entries.delete(tracked.key);
    else tracked.entry.done = true;
  });

  return { clear: () => entries.clear() };
}
