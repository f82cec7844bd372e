import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import type Stripe from 'stripe';
import type { PaymentSdk } from '../../commercetools/sdk';
import { paymentComponents } from '../../operations/components';
import { modifyPayment, type ModifyAction } from '../../operations/modify-payment';
import { status } from '../../operations/status';
import { createTransaction } from '../../operations/transactions';
import type { PaymentsDeps } from '../../core/deps';
import type { WebhookStats } from '../../webhooks/stats';
import { present } from '../../core/present';
import { ErrorResponse } from '../dtos/error';
import { SECURITY } from '../openapi';
import { OPERATION_SCOPES, TRANSACTION_SCOPES, requireProjectScope } from '../project-scope';
import {
  ComponentsResponse,
  ModifyPaymentBody,
  ModifyPaymentResponse,
  OperationHeaders,
  PaymentIntentParams,
  StatusResponse,
  TransactionBody,
  TransactionHeaders,
  TransactionResponse,
} from '../dtos/operations';

export interface OperationsRoutesOptions {
  payments: PaymentsDeps;
  sdk: PaymentSdk;
  /** Merchant Center: a JWT of the project's issuer. */
  merchantCenterAuth: onRequestAsyncHookHandler;
  stripe: Stripe;
  stats: WebhookStats;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse };

/** `/operations/*` for commercetools Checkout and the Merchant Center, with their real authentication. */
export const operationsRoutes: FastifyPluginAsyncTypebox<OperationsRoutesOptions> = async (app, options) => {
  const { sdk, payments } = options;
  const jwt = options.merchantCenterAuth;
  // Checkout and API clients: an introspected OAuth2 token with one of these scopes of this project.
  const oauth2: onRequestAsyncHookHandler[] = [
    sdk.oauth2AuthHookFn.authenticate(),
    requireProjectScope(payments.config.commercetools.projectKey, OPERATION_SCOPES),
  ];
  const oauth2Transactions: onRequestAsyncHookHandler[] = [
    sdk.oauth2AuthHookFn.authenticate(),
    requireProjectScope(payments.config.commercetools.projectKey, TRANSACTION_SCOPES),
  ];

  app.get(
    '/operations/status',
    {
      onRequest: jwt,
      schema: {
        tags: ['operations'],
        security: SECURITY.merchantCenter,
        response: { 200: StatusResponse, 503: StatusResponse, ...errors },
      },
    },
    async (_request, reply) => {
      const result = await status({
        config: payments.config,
        sdk,
        stripe: options.stripe,
        stats: options.stats,
        customTypes: payments.customTypes,
      });
      return reply.code(result.statusCode).send(result.body);
    },
  );

  app.get(
    '/operations/payment-components',
    {
      onRequest: jwt,
      schema: {
        tags: ['operations'],
        security: SECURITY.merchantCenter,
        response: { 200: ComponentsResponse, ...errors },
      },
    },
    async () => paymentComponents(payments.config),
  );

  app.post(
    '/operations/payment-intents/:paymentId',
    {
      onRequest: oauth2,
      schema: {
        tags: ['operations'],
        security: SECURITY.oauth2(payments.config.commercetools.projectKey),
        params: PaymentIntentParams,
        headers: OperationHeaders,
        body: ModifyPaymentBody,
        response: { 200: ModifyPaymentResponse, ...errors },
      },
    },
    async (request) =>
      modifyPayment(payments, request.params.paymentId, request.body.actions[0] as ModifyAction, {
        ...(request.headers['idempotency-key'] !== undefined
          ? { idempotencyKey: request.headers['idempotency-key'] }
          : {}),
      }),
  );

  app.post(
    '/operations/transactions',
    {
      onRequest: oauth2Transactions,
      schema: {
        tags: ['operations'],
        description:
          "commercetools Checkout charges a stored payment method of the cart's customer off-session (recurring orders, stored-method purchases).",
        security: SECURITY.transactions(payments.config.commercetools.projectKey),
        headers: TransactionHeaders,
        body: TransactionBody,
        response: { 201: TransactionResponse, ...errors, 409: ErrorResponse },
      },
    },
    async (request, reply) => {
      const result = await createTransaction(payments, request.body, {
        ...present({ idempotencyKey: request.headers['idempotency-key'] }),
      });
      return reply.code(201).send(result);
    },
  );
};
