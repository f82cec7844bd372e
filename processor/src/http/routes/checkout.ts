import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { PaymentsDeps } from '../../core/deps';
import { confirmPayment } from '../../payments/confirm-payment';
import { createPayment } from '../../payments/create-payment';
import { elementConfig } from '../../payments/element-config';
import { expressConfig } from '../../payments/express-config';
import {
  deleteStoredPaymentMethod,
  listStoredPaymentMethods,
  storedPaymentMethodsEnabled,
} from '../../payments/stored-methods';
import {
  ConfigResponse,
  ConfirmBody,
  ConfirmParams,
  ConfirmResponse,
  CreatePaymentBody,
  CreatePaymentResponse,
  ElementConfigResponse,
  ExpressConfigResponse,
  PaymentComponentParams,
  SessionHeaders,
  StoredPaymentMethodParams,
  StoredPaymentMethodsResponse,
} from '../dtos/checkout';
import { ErrorResponse } from '../dtos/error';
import { SECURITY } from '../openapi';
import { checkoutContext } from '../request-context';

export interface CheckoutRoutesOptions {
  payments: PaymentsDeps;
  /**
   * The payments SDK's session-header hook: a valid, active checkout session or 401. Runs on
   * request, before any validation, so that a call without a session learns nothing else.
   */
  sessionAuth: onRequestAsyncHookHandler;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 502: ErrorResponse };

/** Browser endpoints, all behind a checkout session (D12). No business logic here. */
export const checkoutRoutes: FastifyPluginAsyncTypebox<CheckoutRoutesOptions> = async (
  app,
  { payments, sessionAuth },
) => {
  const { stripe } = payments.config;

  app.get(
    '/operations/config',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        response: { 200: ConfigResponse, ...errors },
      },
    },
    async (request) => ({
      publishableKey: stripe.publishableKey,
      environment: stripe.mode,
      storedPaymentMethodsEnabled: await storedPaymentMethodsEnabled(payments, checkoutContext(request.log)),
    }),
  );

  app.get(
    '/config-element/:paymentComponent',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        params: PaymentComponentParams,
        response: { 200: ElementConfigResponse, ...errors },
      },
    },
    async (request) => elementConfig(payments, checkoutContext(request.log), request.params.paymentComponent),
  );

  app.get(
    '/express-config',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        response: { 200: ExpressConfigResponse, ...errors },
      },
    },
    async (request) => expressConfig(payments, checkoutContext(request.log)),
  );

  app.post(
    '/payments',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        body: Type.Optional(CreatePaymentBody),
        response: { 200: CreatePaymentResponse, ...errors },
      },
    },
    async (request) =>
      createPayment(payments, checkoutContext(request.log), {
        ...(request.body?.paymentComponent ? { paymentComponent: request.body.paymentComponent } : {}),
        ...(request.body?.storePaymentDetails !== undefined
          ? { storePaymentDetails: request.body.storePaymentDetails }
          : {}),
        ...(request.body?.storedPaymentMethodId ? { storedPaymentMethodId: request.body.storedPaymentMethodId } : {}),
      }),
  );

  app.get(
    '/stored-payment-methods',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        response: { 200: StoredPaymentMethodsResponse, ...errors },
      },
    },
    async (request) => listStoredPaymentMethods(payments, checkoutContext(request.log)),
  );

  app.delete(
    '/stored-payment-methods/:id',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        params: StoredPaymentMethodParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteStoredPaymentMethod(payments, checkoutContext(request.log), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/confirmPayments/:paymentReference',
    {
      onRequest: sessionAuth,
      schema: {
        tags: ['checkout'],
        security: SECURITY.session,
        headers: SessionHeaders,
        params: ConfirmParams,
        body: Type.Optional(ConfirmBody),
        response: { 200: ConfirmResponse, ...errors },
      },
    },
    async (request) =>
      confirmPayment(payments, checkoutContext(request.log), {
        paymentReference: request.params.paymentReference,
        ...(request.body?.paymentIntent ? { paymentIntentId: request.body.paymentIntent } : {}),
      }),
  );
};
