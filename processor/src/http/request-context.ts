import { requestContext } from '@fastify/request-context';
import {
  getAllowedPaymentMethodsFromContext,
  getCartIdFromContext,
  getCheckoutTransactionItemIdFromContext,
  getFutureOrderNumberFromContext,
  getGiftCardPlannedAmountFromContext,
  getMerchantReturnUrlFromContext,
  getPaymentInterfaceFromContext,
  type RequestContextData as SdkContext,
} from '@commercetools/connect-payments-sdk';
import type { FastifyBaseLogger } from 'fastify';
import { HTTP_URL } from '../config/schema';
import { unauthenticated } from '../core/errors';
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

/**
 * The enabler sends the shopper to the return URL, so only an absolute http(s) URL may come from
 * the session: a `javascript:` or `data:` URL would run in the shop's page, a relative one would
 * resolve against wherever the enabler runs.
 */
export function absoluteHttpUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || !new RegExp(HTTP_URL, 'i').test(value)) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The session's planned gift card amount, when it is a usable positive amount. */
function giftCard(money: { centAmount?: unknown; currencyCode?: unknown } | undefined) {
  if (!money || typeof money.currencyCode !== 'string') return undefined;
  const { centAmount } = money;
  if (typeof centAmount !== 'number' || !Number.isSafeInteger(centAmount) || centAmount <= 0) return undefined;
  return { centAmount, currencyCode: money.currencyCode };
}

/** The checkout session of the current request (after the session hook ran). */
export function checkoutContext(log?: FastifyBaseLogger): CheckoutContext {
  const ctx = getSdkContext();
  const cartId = getCartIdFromContext(ctx);
  if (!cartId) throw unauthenticated('The session has no cart.');
  const sessionReturnUrl: unknown = getMerchantReturnUrlFromContext(ctx);
  const merchantReturnUrl = absoluteHttpUrl(sessionReturnUrl);
  if (sessionReturnUrl !== undefined && sessionReturnUrl !== '' && !merchantReturnUrl) {
    // Not the value: it is the merchant's, and may carry anything in its query.
    log?.warn("The checkout session's merchantReturnUrl is not an absolute http(s) URL; MERCHANT_RETURN_URL is used.");
  }
  const optional = {
    checkoutTransactionItemId: getCheckoutTransactionItemIdFromContext(ctx),
    paymentInterface: getPaymentInterfaceFromContext(ctx),
    merchantReturnUrl,
    futureOrderNumber: getFutureOrderNumberFromContext(ctx),
    giftCardPlannedAmount: giftCard(getGiftCardPlannedAmountFromContext(ctx)),
    allowedPaymentMethods: getAllowedPaymentMethodsFromContext(ctx),
  };
  return {
    cartId,
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined && v !== '')),
  } as CheckoutContext;
}
