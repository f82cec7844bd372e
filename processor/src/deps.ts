import { setupPaymentSDK, type Logger as SdkLogger } from '@commercetools/connect-payments-sdk';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { createTypeProbe } from './commercetools/custom-types';
import { createCommercetoolsPort } from './commercetools/port';
import type { Config } from './config/load-config';
import { merchantCenterAuth } from './http/merchant-center-auth';
import { getSdkContext, updateSdkContext } from './http/request-context';
import type { PaymentsDeps } from './payments/deps';
import { createStripeClient } from './stripe/client';
import { createOrderMemory } from './sync/orders';
import { createSerialQueue } from './sync/serial';
import { WebhookStats } from './webhooks/stats';

export type PaymentSdk = ReturnType<typeof setupPaymentSDK>;

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

/** The one composition root: every long-lived object of the processor is built here, once. */
export function buildDeps(config: Config, logger: Logger): AppDeps {
  const ct = config.commercetools;
  const sdkLogger = logger.child({ component: 'payments-sdk' });
  const sdkLog: SdkLogger = {
    debug: (obj, msg) => sdkLogger.debug(obj, msg),
    info: (obj, msg) => sdkLogger.debug(obj, msg),
    warn: (obj, msg) => sdkLogger.warn(obj, msg),
    error: (obj, msg) => sdkLogger.error(obj, msg),
  };
  const sdk = setupPaymentSDK({
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
    logger: sdkLog,
  });
  const stripe = createStripeClient(config.stripe);
  const payments: PaymentsDeps = {
    config,
    ct: createCommercetoolsPort(sdk.ctAPI),
    stripe,
    log: logger.child({ component: 'payments' }),
    customTypes: createTypeProbe(sdk.ctAPI),
    serial: createSerialQueue(),
    orders: createOrderMemory(),
  };
  const webhookSecrets = config.stripe.webhookSigningSecret ? [config.stripe.webhookSigningSecret] : [];
  return {
    config,
    logger,
    sdk,
    merchantCenterAuth: merchantCenterAuth(sdk, config, sdkLog),
    stripe,
    payments,
    webhookStats: new WebhookStats(),
    webhookSecrets,
  };
}
