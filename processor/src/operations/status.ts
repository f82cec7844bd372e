import { healthCheckCommercetoolsPermissions } from '@commercetools/connect-payments-sdk';
import type Stripe from 'stripe';
import { PaymentInterfaceInteractionTypeKey } from '../commercetools/custom-types';
import type { TypeAvailability } from '../core/ports';
import type { Config } from '../config/load-config';
import type { PaymentSdk } from '../commercetools/sdk';
import { STRIPE_API_VERSION } from '../stripe/client';
import { findOwnEndpoint, webhookUrl } from '../stripe/webhook-endpoint';
import { findPaymentMethodDomain, originDomains, type OriginDomain } from '../stripe/payment-method-domains';
import { HANDLED_EVENTS } from '../webhooks/events';
import type { WebhookStats } from '../webhooks/stats';
import { VERSION } from '../core/version';
import { present } from '../core/present';

/**
 * The commercetools scopes the connector needs, in one place (also in the README). Any
 * `manage_project` token has them all.
 */
export const REQUIRED_SCOPES = [
  'manage_payments',
  'manage_orders',
  'view_sessions',
  'introspect_oauth_tokens',
  'manage_types',
  'manage_key_value_documents',
] as const;

/**
 * The scopes saved payment methods add (`STRIPE_SAVED_PAYMENT_METHODS=on`): the customer's link
 * to its Stripe customer, and the customers' commercetools payment methods. (The callers of
 * `POST /operations/transactions` need `manage_checkout_transactions`; the processor's own client
 * does not.)
 */
export const SAVED_METHOD_SCOPES = ['manage_customers', 'manage_payment_methods'] as const;

export interface Check {
  name: string;
  status: 'UP' | 'DOWN';
  message?: string;
  details?: Record<string, unknown>;
}

export interface StatusBody {
  status: 'OK' | 'Partially Available' | 'Unavailable';
  timestamp: string;
  version: string;
  metadata: Record<string, unknown>;
  checks: Check[];
}

const CHECK_TIMEOUT_MS = 3000;

async function bounded(name: string, run: () => Promise<Check>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Check>((resolve) => {
    timer = setTimeout(
      () => resolve({ name, status: 'DOWN', message: `no answer within ${CHECK_TIMEOUT_MS} ms` }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([
      run().catch((error: unknown): Check => ({ name, status: 'DOWN', message: describe(error) })),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** A message about an error, without objects, keys or request details. */
function describe(error: unknown): string {
  if (error && typeof error === 'object' && 'type' in error && 'message' in error) {
    const e = error as { type: string; code?: string; message: string };
    return `${e.type}${e.code ? ` (${e.code})` : ''}: ${e.message.replace(/(sk|rk|pk)_(test|live)_[A-Za-z0-9*]+/g, '[key]')}`;
  }
  return error instanceof Error ? error.message : 'unknown error';
}

interface DomainState {
  origin: string;
  domain?: string;
  state: 'verified' | 'not registered' | 'disabled' | 'not verified for Apple Pay' | 'not registrable';
  id?: string;
  message?: string;
}

async function domainState(stripe: Stripe, target: OriginDomain): Promise<DomainState> {
  if (!('domain' in target)) return { origin: target.origin, state: 'not registrable', message: target.unregistrable };
  const { origin, domain } = target;
  const found = await findPaymentMethodDomain(stripe, domain);
  if (!found) return { origin, domain, state: 'not registered', message: 'run post-deploy' };
  if (!found.enabled) return { origin, domain, id: found.id, state: 'disabled', message: 'run post-deploy' };
  if (found.apple_pay.status !== 'active')
    return {
      origin,
      domain,
      id: found.id,
      state: 'not verified for Apple Pay',
      ...present({ message: found.apple_pay.status_details?.error_message }),
    };
  return { origin, domain, id: found.id, state: 'verified' };
}

/**
 * The payment method domain of each allowed origin: registered, enabled and verified for Apple
 * Pay, or what is wrong. A warning: wallets do not show there, every other payment works.
 */
async function domainsCheck(config: Config, stripe: Stripe): Promise<Check> {
  const name = 'Stripe payment method domains';
  if (config.stripe.expressWallets.length === 0)
    return { name, status: 'UP', message: 'express checkout is off', details: { severity: 'warning', domains: [] } };
  const domains = await Promise.all(originDomains(config.allowedOrigins).map((d) => domainState(stripe, d)));
  const wrong = domains.filter((d) => d.state !== 'verified' && d.state !== 'not registrable');
  const problems = domains
    .filter((d) => d.state !== 'verified')
    .map((d) => `${d.domain ?? d.origin}: ${d.state}${d.message ? ` (${d.message})` : ''}`);
  return {
    name,
    status: wrong.length === 0 ? 'UP' : 'DOWN',
    ...present({
      message:
        domains.length === 0 ? 'no ALLOWED_ORIGINS: wallets show on no storefront' : problems.join('; ') || undefined,
    }),
    details: { severity: 'warning', domains },
  };
}

export interface StatusDeps {
  config: Config;
  sdk: PaymentSdk;
  stripe: Stripe;
  stats: WebhookStats;
  customTypes: () => Promise<TypeAvailability>;
}

/**
 * `GET /operations/status`: commercetools and Stripe are required (503 when either is down);
 * the webhook endpoint and the connector's commercetools types are checked too (Partially
 * Available when one is not right), and the allowed origins' payment method domains (a warning:
 * reported, never changing the overall status). Each check
 * is bounded in time; details are names, ids and messages only (D13).
 */
export async function status(deps: StatusDeps): Promise<{ statusCode: number; body: StatusBody }> {
  const { config, stripe } = deps;
  const ctCheck = healthCheckCommercetoolsPermissions({
    ctAuthorizationService: deps.sdk.ctAuthorizationService,
    projectKey: config.commercetools.projectKey,
    requiredPermissions: [...REQUIRED_SCOPES, ...(config.stripe.savedPaymentMethods ? SAVED_METHOD_SCOPES : [])],
  });
  const [commercetools, stripeApi, webhook, types, domains] = await Promise.all([
    bounded('commercetools permissions', async () => {
      const result = await ctCheck();
      return {
        name: 'commercetools permissions',
        status: result.status,
        ...present({ message: result.message || undefined }),
      };
    }),
    bounded('Stripe API', async () => {
      await stripe.balance.retrieve();
      return {
        name: 'Stripe API',
        status: 'UP',
        details: { mode: config.stripe.mode, apiVersion: STRIPE_API_VERSION },
      };
    }),
    bounded('Stripe webhook endpoint', async () => {
      if (!config.serviceUrl)
        return {
          name: 'Stripe webhook endpoint',
          status: 'DOWN',
          message: 'CONNECT_SERVICE_URL is not set: cannot tell which endpoint is ours',
        };
      const url = webhookUrl(config.serviceUrl);
      // Found as post-deploy finds it: the endpoint STRIPE_WEBHOOK_ID names, or the one it marked.
      const ours = await findOwnEndpoint(stripe, config.commercetools.projectKey, config.stripe.webhookId);
      if (!ours)
        return {
          name: 'Stripe webhook endpoint',
          status: 'DOWN',
          message: 'no webhook endpoint of this connector; run post-deploy',
        };
      const missing = ours.enabled_events.includes('*')
        ? []
        : HANDLED_EVENTS.filter((type) => !ours.enabled_events.includes(type));
      const problems = [
        ...(ours.status !== 'enabled' ? [`endpoint is ${ours.status}`] : []),
        ...(ours.url !== url ? [`url ${ours.url}, expected ${url}`] : []),
        ...(missing.length > 0 ? [`missing events: ${missing.join(', ')}`] : []),
        ...(ours.api_version !== STRIPE_API_VERSION
          ? [
              `API version ${ours.api_version ?? 'of the account (unpinned)'}, expected ${STRIPE_API_VERSION}: run post-deploy`,
            ]
          : []),
      ];
      return {
        name: 'Stripe webhook endpoint',
        status: problems.length === 0 ? 'UP' : 'DOWN',
        ...present({ message: problems.join('; ') || undefined }),
        details: { id: ours.id, url: ours.url },
      };
    }),
    bounded('commercetools types', async () => {
      const available = await deps.customTypes();
      return available.interactions
        ? { name: 'commercetools types', status: 'UP' }
        : {
            name: 'commercetools types',
            status: 'DOWN',
            message: `type ${PaymentInterfaceInteractionTypeKey} is missing, so operations cannot be recorded; run post-deploy`,
          };
    }),
    bounded('Stripe payment method domains', () => domainsCheck(config, stripe)),
  ]);
  // The domains are a warning: they never change the overall status.
  const checks = [commercetools, stripeApi, webhook, types, domains];
  const critical = commercetools.status === 'DOWN' || stripeApi.status === 'DOWN';
  const degraded = webhook.status === 'DOWN' || types.status === 'DOWN';
  const overall = critical ? 'Unavailable' : degraded ? 'Partially Available' : 'OK';
  return {
    statusCode: critical ? 503 : 200,
    body: {
      status: overall,
      timestamp: new Date().toISOString(),
      version: VERSION,
      metadata: {
        name: 'commercetools-stripe-connector',
        stripeMode: config.stripe.mode,
        captureMethod: config.stripe.captureMethod,
        webhooks: {
          received: deps.stats.received,
          failed: deps.stats.failed,
          ...(deps.stats.lastReceivedAt ? { lastReceivedAt: deps.stats.lastReceivedAt } : {}),
          ...(deps.stats.lastFailedAt ? { lastFailedAt: deps.stats.lastFailedAt } : {}),
        },
      },
      checks,
    },
  };
}
