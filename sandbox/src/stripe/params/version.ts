import type { FastifyRequest } from 'fastify';
import { StripeApiError } from '../errors';
import { API_VERSION } from '../state';
import { tableOf } from './schema';

/** Every API version Stripe has published up to the pinned one (webhook endpoints accept each). */
function knownVersions(): readonly string[] {
  return tableOf('WebhookEndpointCreateParams').get('api_version')?.values ?? [];
}

/**
 * `Stripe-Version`: absent (the account's version, which is the pinned one here) or the pinned
 * version. Any other is refused as Stripe refuses a version it does not know, rather than
 * answered in the shape of another version: a real version the emulator does not implement says
 * so after Stripe's message.
 */
export function checkVersion(request: FastifyRequest): void {
  const header = request.headers['stripe-version'];
  if (header === undefined) return;
  // Several headers arrive joined, as Stripe reads them (and refuses them).
  const version = Array.isArray(header) ? header.join(', ') : header;
  if (version === API_VERSION) return;
  const known = knownVersions().includes(version);
  throw new StripeApiError(
    400,
    'invalid_request_error',
    `Invalid Stripe API version: ${version}${
      known ? ` (a real Stripe API version the sandbox does not emulate: it answers ${API_VERSION} only)` : ''
    }`,
  );
}
