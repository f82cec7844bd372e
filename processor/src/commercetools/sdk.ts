import type { setupPaymentSDK } from '@commercetools/connect-payments-sdk';

/** What the payments SDK's setup gives: its commercetools API, services and auth hooks. */
export type PaymentSdk = ReturnType<typeof setupPaymentSDK>;
