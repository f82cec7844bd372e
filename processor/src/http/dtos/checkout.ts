import { Type, type Static } from '@sinclair/typebox';

/** The wire contract of the checkout endpoints (also the OpenAPI document). */

export const SessionHeaders = Type.Object({
  'x-session-id': Type.String({ minLength: 1, maxLength: 256, description: 'commercetools checkout session id' }),
});

export const ConfigResponse = Type.Object({
  publishableKey: Type.String(),
  environment: Type.Union([Type.Literal('test'), Type.Literal('live')]),
  storedPaymentMethodsEnabled: Type.Boolean({
    description: "Saved payment methods are on (STRIPE_SAVED_PAYMENT_METHODS) and the session's cart has a customer",
  }),
});

export const PaymentComponentParams = Type.Object({
  paymentComponent: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' }),
});

export const ElementConfigResponse = Type.Object({
  cartInfo: Type.Object({
    amount: Type.Integer({ description: "Amount still to pay, in Stripe's minor unit" }),
    currency: Type.String({ description: 'Lower-case ISO currency code' }),
  }),
  captureMethod: Type.Union([Type.Literal('automatic'), Type.Literal('automatic_async'), Type.Literal('manual')]),
  paymentMethodTypes: Type.Optional(Type.Array(Type.String())),
  appearance: Type.Optional(Type.Object({}, { additionalProperties: true })),
  layout: Type.Object({ type: Type.String() }, { additionalProperties: true }),
  collectBillingAddress: Type.Union([Type.Literal('auto'), Type.Literal('never'), Type.Literal('if_required')]),
  merchantReturnUrl: Type.String(),
  customerSessionClientSecret: Type.Optional(
    Type.String({
      description:
        "Stripe Customer Session client secret for `stripe.elements` (saved cards; only with saved payment methods on and a customer's cart); never log it",
    }),
  ),
});

const WalletSetting = Type.Union([Type.Literal('auto'), Type.Literal('never')]);

export const ExpressConfigResponse = Type.Object({
  cartInfo: Type.Object({
    amount: Type.Integer({ description: "Amount still to pay, in Stripe's minor unit" }),
    currency: Type.String({ description: 'Lower-case ISO currency code' }),
  }),
  countryCode: Type.Optional(
    Type.String({
      description: "The cart's shipping address country, else its billing address country, else its country",
    }),
  ),
  captureMethod: Type.Union([Type.Literal('automatic'), Type.Literal('automatic_async'), Type.Literal('manual')]),
  paymentMethodTypes: Type.Array(Type.String(), {
    description: "The PaymentIntent's method types: card, and link when offered",
  }),
  wallets: Type.Object({ applePay: WalletSetting, googlePay: WalletSetting, link: WalletSetting }),
  lineItems: Type.Array(
    Type.Object({
      name: Type.String(),
      amount: Type.Integer({ description: "Gross, in Stripe's minor unit; negative for a discount" }),
    }),
    {
      description:
        "The cart's line items, shipping method and discounts; their sum is cartInfo.amount, or the list is empty when it cannot be",
    },
  ),
  shippingRate: Type.Optional(
    Type.Object({
      id: Type.String({ description: 'commercetools shipping method id' }),
      displayName: Type.String(),
      amount: Type.Integer(),
    }),
  ),
});

export const CreatePaymentBody = Type.Object(
  {
    paymentComponent: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        pattern: '^[a-z_]+$',
        description: '`payment` (drop-in, default), `express` (Express Checkout Element) or a payment method type',
      }),
    ),
    storePaymentDetails: Type.Optional(
      Type.Boolean({ description: "Save the card for later payments (saved payment methods on, a customer's cart)" }),
    ),
    storedPaymentMethodId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: '^[A-Za-z0-9-]+$',
        description: "Pay with a saved method: the id of one of the cart customer's commercetools payment methods",
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreatePaymentBody = Static<typeof CreatePaymentBody>;

export const CreatePaymentResponse = Type.Object({
  clientSecret: Type.String({ description: 'PaymentIntent client secret, for Stripe.js only; never log it' }),
  paymentReference: Type.String({ description: 'commercetools payment id' }),
  cartId: Type.String(),
  merchantReturnUrl: Type.String(),
  amount: Type.Integer({ description: "What the PaymentIntent asks, in Stripe's minor unit" }),
  currency: Type.String({ description: 'Lower-case ISO currency code' }),
});

export const ConfirmParams = Type.Object({
  paymentReference: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
});

export const ConfirmBody = Type.Object(
  { paymentIntent: Type.Optional(Type.String({ pattern: '^pi_[A-Za-z0-9_]+$', maxLength: 255 })) },
  { additionalProperties: false },
);
export type ConfirmBody = Static<typeof ConfirmBody>;

export const ConfirmResponse = Type.Object({
  outcome: Type.Union([Type.Literal('approved'), Type.Literal('pending'), Type.Literal('rejected')]),
  paymentReference: Type.String(),
  paymentIntentStatus: Type.Optional(Type.String()),
  errorCode: Type.Optional(Type.String()),
  declineCode: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  card: Type.Optional(
    Type.Object({
      brand: Type.Optional(Type.String()),
      last4: Type.Optional(Type.String()),
      expMonth: Type.Optional(Type.Integer()),
      expYear: Type.Optional(Type.Integer()),
    }),
  ),
});

export const StoredPaymentMethod = Type.Object({
  id: Type.String({ description: 'commercetools payment method id' }),
  type: Type.Literal('card'),
  createdAt: Type.String(),
  isDefault: Type.Boolean(),
  displayOptions: Type.Object({
    name: Type.String(),
    brand: Type.Optional(Type.String()),
    endDigits: Type.Optional(Type.String()),
    expiryMonth: Type.Optional(Type.String({ pattern: '^(0[1-9]|1[0-2])$' })),
    expiryYear: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })),
  }),
});

export const StoredPaymentMethodsResponse = Type.Object({
  storedPaymentMethods: Type.Array(StoredPaymentMethod),
});

export const StoredPaymentMethodParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
});
