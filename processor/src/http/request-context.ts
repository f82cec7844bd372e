import { requestContext } from '@fastify/request-context';
import {
  getAllowedPaymentMethodsFromContext,
  getCartIdFromContext,
  getCheckoutTransactionItemIdFromContext,
  getFutureOrderNumberFromContext,
  getMerchantReturnUrlFromContext,
  getPaymentInterfaceFromContext,
  type RequestContextData as SdkContext,
} from '@commercetools/connect-payments-sdk';
import { AppError } from '../errors/app-error';
import type { CheckoutContext } from '../payments/checkout-context';

declare module '@fastify/request-context' {
  interface RequestContextData {
    sdk: Partial<SdkContext>;
  }
}

/** The payments SDK keeps what its auth hooks learn in the request context. */
export const getSdkContext = (): SdkContext => (requestContext.get('sdk') ?? {}) as SdkContext;
export const updateSdkContext = (patch: Partial<SdkContext>): void => {
  requestContext.set('sdk', { ...(requestContext.get('sdk') ?? {}), ...patch });
};

/** The checkout session of the current request (after the session hook ran). */
export function checkoutContext(): CheckoutContext {
  const ctx = getSdkContext();
  const cartId = getCartIdFromContext(ctx);
  if (!cartId) throw new AppError(401, 'invalid_token', 'The session has no cart.');
  const optional = {
    checkoutTransactionItemId: getCheckoutTransactionItemIdFromContext(ctx),
    paymentInterface: getPaymentInterfaceFromContext(ctx),
    merchantReturnUrl: getMerchantReturnUrlFromContext(ctx),
    futureOrderNumber: getFutureOrderNumberFromContext(ctx),
    allowedPaymentMethods: getAllowedPaymentMethodsFromContext(ctx),
  };
  return {
    cartId,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined && v !== '')),
  } as CheckoutContext;
}
