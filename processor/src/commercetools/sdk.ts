import { setupPaymentSDK } from '@commercetools/connect-payments-sdk';
// setupPaymentSDK builds these without an `httpClient` (so on Node's fetch); the classes take one.
import { DefaultCommercetoolsAPI } from '@commercetools/connect-payments-sdk/dist/commercetools/api/root-api';
import { DefaultCartService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-cart.service';
import { DefaultCustomTypeService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-custom-type.service';
import { DefaultOrderService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-order.service';
import { DefaultPaymentMethodService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-payment-method.service';
import { DefaultPaymentService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-payment.service';
import { DefaultRecurringPaymentJobService } from '@commercetools/connect-payments-sdk/dist/commercetools/services/ct-recurring-payment-job.service';

/** What the payments SDK's setup gives: its commercetools API, services and auth hooks. */
export type PaymentSdk = ReturnType<typeof setupPaymentSDK>;

export type PaymentSdkOptions = Parameters<typeof setupPaymentSDK>[0] & {
  /** The `fetch` the commercetools API client sends its requests with. */
  httpClient: (...args: never[]) => Promise<unknown>;
};

/**
 * The payments SDK as `setupPaymentSDK` wires it, except that its commercetools API client, and
 * the services built on it, send their requests with `httpClient`. The auth hooks, the session
 * and authorization services are the SDK's own.
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
  return {
    ...sdk,
    ctAPI,
    ctCartService,
    ctOrderService: new DefaultOrderService({ ctAPI, logger }),
    ctPaymentService: new DefaultPaymentService({ ctAPI, logger }),
    ctPaymentMethodService: new DefaultPaymentMethodService({ ctAPI, logger }),
    ctCustomTypeService: new DefaultCustomTypeService({ ctAPI, logger }),
    ctRecurringPaymentJobService: new DefaultRecurringPaymentJobService({
      authorizationService: sdk.ctAuthorizationService,
      ctCartService,
      checkoutUrl: setup.checkoutUrl,
      projectKey: setup.projectKey,
      logger,
    }),
  };
}
