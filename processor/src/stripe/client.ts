import Stripe from 'stripe';
import type { Config } from '../config/load-config';
import { VERSION } from '../core/version';

/**
 * The API version every request uses, pinned in code so that a change of the account's default
 * version in the Stripe dashboard cannot change the shape of what we read (D23).
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const satisfies Stripe.LatestApiVersion;

export const APP_INFO = {
  name: 'commercetools-stripe-connector',
  version: VERSION,
  url: 'https://github.com/commercetools/connect-payment-integration-stripe',
};

/**
 * One Stripe client per process (D23); built by the composition root only. `timeoutMs` applies
 * to each attempt (socket inactivity).
 */
export function createStripeClient(
  config: Config['stripe'],
  options: { timeoutMs?: number; maxNetworkRetries?: number } = {},
): Stripe {
  const target = config.apiUrl ? new URL(config.apiUrl) : undefined;
  return new Stripe(config.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    appInfo: APP_INFO,
    // Stripe's own retries reuse the idempotency key of the request, so they are safe.
    maxNetworkRetries: options.maxNetworkRetries ?? 2,
    timeout: options.timeoutMs ?? 20_000,
    telemetry: false,
    ...(target
      ? {
          host: target.hostname,
          port: Number(target.port || (target.protocol === 'https:' ? 443 : 80)),
          protocol: target.protocol === 'https:' ? ('https' as const) : ('http' as const),
        }
      : {}),
  });
}
