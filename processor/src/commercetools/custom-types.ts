import {
  CardDetailsTypeKey,
  PaymentInterfaceInteractionTypeKey,
  type setupPaymentSDK,
} from '@commercetools/connect-payments-sdk';

import type { TypeDraft } from '@commercetools/platform-sdk';
import { CUSTOMER_TYPE_KEY, STRIPE_CUSTOMER_FIELD } from '../core/metadata';
import type { TypeAvailability } from '../core/ports';

type CommercetoolsAPI = ReturnType<typeof setupPaymentSDK>['ctAPI'];

/**
 * Whether post-deploy created the custom types that card details and interface interactions
 * need. Without them those extras are skipped: they must never stop transactions from being
 * recorded. Re-checked every few minutes, so a later post-deploy is picked up.
 */
export function createTypeProbe(api: CommercetoolsAPI, ttlMs = 5 * 60_000): () => Promise<TypeAvailability> {
  let cached: { at: number; value: Promise<TypeAvailability> } | undefined;
  return () => {
    if (cached && Date.now() - cached.at < ttlMs) return cached.value;
    const value = Promise.all([
      api.customType.existsByKey(CardDetailsTypeKey),
      api.customType.existsByKey(PaymentInterfaceInteractionTypeKey),
    ]).then(([cardDetails, interactions]) => ({ cardDetails, interactions }));
    cached = { at: Date.now(), value };
    value.catch(() => (cached = undefined));
    return value;
  };
}

export { CardDetailsTypeKey, PaymentInterfaceInteractionTypeKey };

/** The link from a commercetools customer to its Stripe customer (saved payment methods). */
export const StripeCustomerTypeDraft: TypeDraft = {
  key: CUSTOMER_TYPE_KEY,
  name: { en: 'Stripe customer of the commercetools customer' },
  resourceTypeIds: ['customer'],
  fieldDefinitions: [
    {
      name: STRIPE_CUSTOMER_FIELD,
      label: { en: 'Stripe customer id' },
      type: { name: 'String' },
      required: false,
      inputHint: 'SingleLine',
    },
  ],
};
