import type { FastifyRequest } from 'fastify';
import { StripeApiError } from './errors';

export type KeyKind = 'secret' | 'publishable';

declare module 'fastify' {
  interface FastifyRequest {
    stripeKey?: { kind: KeyKind; key: string };
  }
}

/** The API key of a request: Bearer, Basic (`curl -u sk_...:`) or, as Stripe.js sends it, a `key` param. */
export function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  if (header?.startsWith('Basic ')) return Buffer.from(header.slice(6), 'base64').toString('utf8').split(':')[0];
  const fromBody = (request.body as Record<string, unknown> | undefined)?.key;
  if (typeof fromBody === 'string') return fromBody;
  const fromQuery = (request.query as Record<string, unknown> | undefined)?.key;
  return typeof fromQuery === 'string' ? fromQuery : undefined;
}

const mask = (key: string) => `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}`;

export function authenticate(
  request: FastifyRequest,
  keys: { secret: string; publishable: string },
): { kind: KeyKind; key: string } {
  const key = keyOf(request);
  if (!key) {
    throw new StripeApiError(
      401,
      'invalid_request_error',
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (key === keys.secret) return { kind: 'secret', key };
  if (key === keys.publishable) return { kind: 'publishable', key };
  throw new StripeApiError(401, 'invalid_request_error', `Invalid API Key provided: ${mask(key)}`, {
    code: 'api_key_invalid',
  });
}

export function requireSecret(request: FastifyRequest): void {
  if (request.stripeKey?.kind !== 'secret') {
    throw new StripeApiError(
      401,
      'invalid_request_error',
      'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
      { code: 'secret_key_required' },
    );
  }
}
