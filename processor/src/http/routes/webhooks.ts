import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { invalidSignature } from '../../core/errors';
import type { PaymentsDeps } from '../../core/deps';
import { verifyWebhook } from '../../stripe/webhook-signature';
import { handleEvent } from '../../webhooks/handle-event';
import type { WebhookStats } from '../../webhooks/stats';
import { ErrorAnswer } from '../dtos/error';
import { SECURITY } from '../openapi';

export interface WebhookRoutesOptions {
  payments: PaymentsDeps;
  stats: WebhookStats;
  /** Signing secrets accepted (the current one, and the previous one during a rotation). */
  secrets: readonly string[];
  toleranceSeconds?: number;
}

const MAX_EVENT_BYTES = 512 * 1024;

const WebhookAnswer = Type.Object(
  {
    received: Type.Boolean(),
    status: Type.String({ description: 'What the event did to the payment, or `ignored`' }),
    reason: Type.Optional(Type.String({ description: 'Why it was ignored' })),
  },
  { additionalProperties: true, description: 'The event was applied, or ignored on purpose' },
);

const responses = {
  200: WebhookAnswer,
  400: ErrorAnswer('Missing or wrong signature, or a body that is not a Stripe event'),
  '5xx': ErrorAnswer('The event could not be applied yet; Stripe sends it again'),
};

/**
 * `POST /stripe/webhooks`. The signature is checked on the raw bytes before anything else
 * (D19): this scope keeps the body as a Buffer whatever its content type.
 */
export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, options) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_EVENT_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.post(
    '/stripe/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Stripe webhook endpoint',
        security: SECURITY.stripeSignature,
        response: responses,
      },
    },
    async (request) => {
      options.stats.receive();
      const signature = request.headers['stripe-signature'];
      if (typeof signature !== 'string' || signature.length === 0 || !Buffer.isBuffer(request.body)) {
        throw invalidSignature('Missing Stripe-Signature header or body.');
      }
      const event = verifyWebhook(request.body, signature, options.secrets, options.toleranceSeconds);
      return handleEvent(options.payments, options.stats, event);
    },
  );
};
