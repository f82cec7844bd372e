import {
  SessionHeaderAuthenticationHook,
  SessionHeaderAuthenticationManager,
  setupPaymentSDK,
} from '@commercetools/connect-payments-sdk';
// setupPaymentSDK builds these without an `httpClient` (so on Node's fetch); the classes take one.
import { DefaultCommercetoolsAPI } from '@commercetools/connect-payments-sdk/dist/commercetools/api/root-api';
import { DefaultAuthorizationService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-authorization.service';
import { DefaultCartService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-cart.service';
import { DefaultCustomTypeService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-custom-type.service';
import { DefaultOrderService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-order.service';
import { DefaultPaymentMethodService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-payment-method.service';
import { DefaultPaymentService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-payment.service';
import { DefaultRecurringPaymentJobService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-recurring-payment-job.service';
import { SessionService } from './session-service';

/** What the payments SDK's setup gives: its commercetools API, services and auth hooks. */
export type PaymentSdk = ReturnType<typeof setupPaymentSDK>;

export type PaymentSdkOptions = Parameters<typeof setupPaymentSDK>[0] & {
  /** The `fetch` the commercetools API client, the token and the Session API requests go with. */
  httpClient: ConstructorParameters<typeof SessionService>[0]['fetch'] & ((...args: never[]) => Promise<unknown>);
};

/**
 * The payments SDK as `setupPaymentSDK` wires it, except that its commercetools API client, the
 * services built on it, its token service and the session check send their requests with
 * `httpClient`. The auth hooks and managers are the SDK's own.
 */
export function createPaymentSdk(options: PaymentSdkOptions): PaymentSdk {
  const { httpClient, ...setup } = options;
  const sdk = setupPaymentSDK(setup);
  const logger = setup.logger!;
  const ctAPI = new DefaultCommercetoolsAPI({
    apiUrl: setup.apiUrl,
    authUrl: setup.authUrl,
    clientId: setup.clientId,
    clientSecret: setup.clientSecret,
    projectKey: setup.projectKey,
    contextProvider: sdk.contextProvider,
    logger,
    httpClient,
  });
  const ctCartService = new DefaultCartService({ ctAPI, logger, contextProvider: sdk.contextProvider });
  const ctAuthorizationService = new DefaultAuthorizationService({
    authUrl: setup.authUrl,
    clientId: setup.clientId,
    clientSecret: setup.clientSecret,
    // It sends a URLSearchParams body, which the given fetch takes as well.
    fetch: httpClient as unknown as typeof fetch,
    logger,
  });
  const sessionService = new SessionService({
    authorizationService: ctAuthorizationService,
    sessionUrl: setup.sessionUrl,
    projectKey: setup.projectKey,
    fetch: httpClient,
  });
  return {
    ...sdk,
    ctAPI,
    ctAuthorizationService,
    sessionHeaderAuthHookFn: new SessionHeaderAuthenticationHook({
      authenticationManager: new SessionHeaderAuthenticationManager({ sessionService, logger }),
      contextProvider: sdk.contextProvider,
      logger,
    }),
    ctCartService,
    ctOrderService: new DefaultOrderService({ ctAPI, logger }),
    ctPaymentService: new DefaultPaymentService({ ctAPI, logger }),
    ctPaymentMethodService: new DefaultPaymentMethodService({ ctAPI, logger }),
    ctCustomTypeService: new DefaultCustomTypeService({ ctAPI, logger }),
    ctRecurringPaymentJobService: new DefaultRecurringPaymentJobService({
      authorizationService: ctAuthorizationService,
      ctCartService,
      checkoutUrl: setup.checkoutUrl,
      projectKey: setup.projectKey,
      logger,
    }),
  };
}
