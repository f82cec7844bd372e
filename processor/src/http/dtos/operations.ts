import { Type } from '@sinclair/typebox';

const Money = Type.Object(
  {
    centAmount: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    currencyCode: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);
const Reference = Type.Optional(Type.String({ maxLength: 256 }));

export const PaymentIntentParams = Type.Object({
  paymentId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
});

export const OperationHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Makes the request the same operation as every other request with this key on this payment: it is performed once and every repeat gets its answer (see docs/payment-model.md).',
    }),
  ),
});

export const ModifyPaymentBody = Type.Object(
  {
    actions: Type.Array(
      Type.Union([
        Type.Object(
          { action: Type.Literal('capturePayment'), amount: Money, merchantReference: Reference },
          { additionalProperties: false },
        ),
        Type.Object(
          {
            action: Type.Literal('refundPayment'),
            amount: Money,
            merchantReference: Reference,
            transactionId: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        Type.Object(
          { action: Type.Literal('cancelPayment'), merchantReference: Reference },
          { additionalProperties: false },
        ),
        Type.Object(
          { action: Type.Literal('reversePayment'), merchantReference: Reference },
          { additionalProperties: false },
        ),
      ]),
      { minItems: 1, maxItems: 1, description: 'Exactly one action' },
    ),
  },
  { additionalProperties: false },
);

export const ModifyPaymentResponse = Type.Object({
  outcome: Type.Union([Type.Literal('approved'), Type.Literal('received'), Type.Literal('rejected')]),
  errors: Type.Optional(Type.Array(Type.Object({ code: Type.String(), message: Type.String() }))),
});

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' });

/** commercetools Checkout's charge of a stored payment method (its `TransactionDraft`). */
export const TransactionBody = Type.Object(
  {
    cartId: Id,
    paymentInterface: Type.String({ minLength: 1, maxLength: 256 }),
    checkoutTransactionItemId: Id,
    amount: Type.Optional(Money),
    futureOrderNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    paymentMethod: Type.Optional(
      Type.Object(
        { id: Type.String({ ...Id, description: 'The commercetools payment method (stored) of the cart customer' }) },
        { additionalProperties: false },
      ),
    ),
    type: Type.Optional(Type.Literal('StoredPaymentMethodPurchase')),
  },
  { additionalProperties: false },
);

export const TransactionHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Makes the request the same charge as every other request with this key and body: the card is charged once and every repeat gets its answer (see docs/payment-model.md). Without it, the body alone identifies the charge.',
    }),
  ),
});

export const TransactionResponse = Type.Object({
  transactionStatus: Type.Object({
    state: Type.Union([Type.Literal('Completed'), Type.Literal('Failed'), Type.Literal('Pending')]),
    errors: Type.Array(Type.Object({ code: Type.Literal('PaymentRejected'), message: Type.String() })),
  }),
  paymentReference: Type.Optional(Type.String({ description: 'The commercetools payment recording the charge' })),
});

export const ComponentsResponse = Type.Object({
  dropins: Type.Array(Type.Object({ type: Type.String() })),
  components: Type.Array(Type.Object({ type: Type.String() })),
  express: Type.Array(Type.Object({ type: Type.String() })),
});

export const StatusResponse = Type.Object({
  status: Type.Union([Type.Literal('OK'), Type.Literal('Partially Available'), Type.Literal('Unavailable')]),
  timestamp: Type.String(),
  version: Type.String(),
  metadata: Type.Object({}, { additionalProperties: true }),
  checks: Type.Array(
    Type.Object({
      name: Type.String(),
      status: Type.Union([Type.Literal('UP'), Type.Literal('DOWN')]),
      message: Type.Optional(Type.String()),
      details: Type.Optional(Type.Object({}, { additionalProperties: true })),
    }),
  ),
});
