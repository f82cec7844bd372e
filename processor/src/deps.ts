import { RequestContextProvider, type Logger as SdkLogger } from '@commercetools/connect-payments-sdk';
// setupPaymentSDK builds this class without passing `httpClient`; the class itself accepts one.
import { DefaultCommercetoolsAPI } from '@commercetools/connect-payments-sdk/dist/commercetools/api/root-api';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { createTypeProbe } from './commercetools/custom-types';
import { createCommercetoolsPort } from './commercetools/port';
import { createPaymentSdk, type PaymentSdk } from './commercetools/sdk';
import type { Config } from './config/load-config';
import { merchantCenterAuth } from './http/merchant-center-auth';
import { getSdkContext, updateSdkContext } from './http/request-context';
import type { PaymentsDeps } from './core/deps';
import { createStripeClient } from './stripe/client';
import { boundedFetch } from './upstream/bounded-fetch';
import { keepAliveFetch } from './upstream/keep-alive-fetch';
import { createOrderMemory } from './core/order-memory';
import { createRecentReads } from './core/recent-reads';
import { createSerialQueue } from './core/serial-queue';
import { WebhookStats } from './webhooks/stats';

export type { PaymentSdk } from './commercetools/sdk';

export interface AppDeps {
  config: Config;
  logger: Logger;
  sdk: PaymentSdk;
  /** Merchant Center JWT authentication (used instead of the SDK's `jwtAuthHookFn`). */
  merchantCenterAuth: onRequestAsyncHookHandler;
  stripe: Stripe;
  payments: PaymentsDeps;
  webhookStats: WebhookStats;
  /** Secrets webhooks are verified with: the configured one, or the one post-deploy stored. */
  webhookSecrets: string[];
}

function sdkLogger(logger: Logger): SdkLogger {
  const child = logger.child({ component: 'payments-sdk' });
  return {
    debug: (obj, msg) => child.debug(obj, msg),
    info: (obj, msg) => child.debug(obj, msg),
    warn: (obj, msg) => child.warn(obj, msg),
    error: (obj, msg) => child.error(obj, msg),
  };
}

function paymentsDeps(
  config: Config,
  ctAPI: PaymentSdk['ctAPI'],
  stripe: Stripe,
  logger: Logger,
  recurringJobs?: PaymentSdk['ctRecurringPaymentJobService'],
): PaymentsDeps {
  return {
    ...(recurringJobs ? { recurringJobs } : {}),
    config,
    ct: createCommercetoolsPort(ctAPI),
    stripe,
    log: logger.child({ component: 'payments' }),
    customTypes: createTypeProbe(ctAPI),
    serial: createSerialQueue(),
    orders: createOrderMemory(),
    reads: createRecentReads(),
  };
}

/** The one composition root: every long-lived object of the processor is built here, once. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  const ct = config.commercetools;
  const sdk = createPaymentSdk({
    apiUrl: ct.apiUrl,
    authUrl: ct.authUrl,
    sessionUrl: ct.sessionUrl,
    checkoutUrl: ct.checkoutUrl,
    jwksUrl: ct.jwksUrl,
    jwtIssuer: ct.jwtIssuer,
    clientId: ct.clientId,
    clientSecret: ct.clientSecret,
    projectKey: ct.projectKey,
    getContextFn: getSdkContext,
    updateContextFn: updateSdkContext,
    logger: sdkLogger(logger),
    // Keep-alive connections over node:http: a fraction of the CPU of Node's fetch per request.
    httpClient: keepAliveFetch(),
  });
  const stripe = createStripeClient(config.stripe);
  const payments = paymentsDeps(config, sdk.ctAPI, stripe, logger, sdk.ctRecurringPaymentJobService);
  const webhookSecrets = config.stripe.webhookSigningSecret ? [config.stripe.webhookSigningSecret] : [];
  return {
    config,
    logger,
    sdk,
    merchantCenterAuth: merchantCenterAuth(sdk, config, sdkLogger(logger)),
    stripe,
    payments,
    webhookSecrets,
    webhookStats: new WebhookStats(),
  };
}

/** What post-deploy, pre-undeploy and reconcile talk to. */
export interface CommandDeps {
  config: Config;
  ctAPI: PaymentSdk['ctAPI'];
  stripe: Stripe;
  payments: PaymentsDeps;
}

/**
 * The operator commands' clients: every commercetools and Stripe request gives up after
 * `config.commands.upstreamTimeoutMs` and is not retried on a network failure, so that a dead
 * or slow upstream is reported after one wait. The commands converge when run again.
 */
export function buildCommandDeps(config: Config, logger: Logger): CommandDeps {
  const ct = config.commercetools;
  const timeoutMs = config.commands.upstreamTimeoutMs;
  const ctAPI = new DefaultCommercetoolsAPI({
    apiUrl: ct.apiUrl,
    authUrl: ct.authUrl,
    clientId: ct.clientId,
    clientSecret: ct.clientSecret,
    projectKey: ct.projectKey,
    contextProvider: new RequestContextProvider({ getContextFn: getSdkContext, updateContextFn: updateSdkContext }),
    logger: sdkLogger(logger),
    httpClient: boundedFetch('commercetools', timeoutMs),
  });
  const stripe = createStripeClient(config.stripe, { timeoutMs, maxNetworkRetries: 0 });
  return { config, ctAPI, stripe, payments: paymentsDeps(config, ctAPI, stripe, logger) };
}
