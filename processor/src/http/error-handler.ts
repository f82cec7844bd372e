import { Errorx } from '@commercetools/connect-payments-sdk';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { AppError } from '../core/errors';
import { classifyStripeError, isStripeError } from '../stripe/errors';
import { MoneyError } from '../core/money';
import { errorBody as body, type ErrorBody } from './dtos/error';

/** Stripe errors: keep Stripe's code and decline code, never its raw object or request details. */
function fromStripe(error: InstanceType<typeof Stripe.errors.StripeError>): ErrorBody {
  const fields: Record<string, unknown> = {};
  if (error.code) fields.stripeCode = error.code;
  if (error.decline_code) fields.declineCode = error.decline_code;
  if (error.type === 'StripeCardError') return body(402, 'PaymentDeclined', error.message, fields);
  switch (classifyStripeError(error)) {
    case 'retryable':
      return error.type === 'StripeRateLimitError'
        ? body(503, 'ServiceUnavailable', 'Stripe is rate limiting requests; retry later.', fields)
        : body(502, 'ServiceUnavailable', 'Stripe could not be reached; retry later.', fields);
    case 'in-progress':
      return body(409, 'ConcurrentModification', 'A conflicting request is in progress; retry later.', fields);
    case 'misconfigured':
      return body(502, 'General', 'The connector is not authorized by Stripe; check its keys.', fields);
    default:
      return body(502, 'General', `Stripe refused the request: ${error.message}`, fields);
  }
}

export function toErrorBody(error: unknown): ErrorBody {
  if (error instanceof AppError) return body(error.statusCode, error.code, error.message, error.fields);
  if (error instanceof Errorx) {
    const code = error.httpErrorStatus === 401 ? 'invalid_token' : error.code;
    return body(error.httpErrorStatus, code, error.message);
  }
  if (isStripeError(error)) return fromStripe(error);
  if (error instanceof MoneyError) return body(400, 'InvalidOperation', error.message);
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    return body(400, 'InvalidInput', `Invalid request: ${fastifyError.message ?? 'validation failed'}`);
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    // fastify's own client errors: bad JSON, wrong content type, body too large, ...
    return body(fastifyError.statusCode, 'InvalidInput', fastifyError.message ?? 'Bad request');
  }
  return body(500, 'General', 'Internal error.');
}

/** The one place where errors become HTTP answers. */
export function errorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const rendered = toErrorBody(error);
  const log = { statusCode: rendered.statusCode, code: rendered.errors[0]?.code };
  if (rendered.statusCode >= 500) {
    request.log.error({ ...log, err: error }, 'request failed');
  } else {
    request.log.info({ ...log, reason: error instanceof Error ? error.message : undefined }, 'request rejected');
  }
  if (rendered.statusCode === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(rendered.statusCode).send(rendered);
}
