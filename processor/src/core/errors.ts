/**
 * Errors the processor raises itself. The central error handler renders them in the
 * commercetools error shape: `{message, statusCode, errors: [{code, message, ...fields}]}`.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    /** Extra fields for the error entry (never secrets). */
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/* The errors the processor raises, by what they mean; nothing else constructs an AppError. */

export const notFound = (what: string) => new AppError(404, 'ResourceNotFound', `${what} was not found.`);
export const invalidInput = (message: string, fields: Record<string, unknown> = {}) =>
  new AppError(400, 'InvalidInput', message, fields);
export const conflict = (code: string, message: string, fields: Record<string, unknown> = {}) =>
  new AppError(409, code, message, fields);
/** The request is well-formed but the resource's state does not allow it. */
export const invalidOperation = (message: string) => new AppError(409, 'InvalidOperation', message);
/** No usable credentials: a missing or wrong token, a session without a cart. */
export const unauthenticated = (message: string) => new AppError(401, 'invalid_token', message);
export const insufficientScope = (message: string) => new AppError(401, 'insufficient_scope', message);
/** A Stripe webhook whose signature is missing, wrong or too old. */
export const invalidSignature = (message: string) => new AppError(400, 'InvalidSignature', message);
/** An upstream answered something unusable. */
export const upstreamFailure = (message: string) => new AppError(502, 'General', message);
/** Not possible yet; the caller retries (Stripe resends webhooks). */
export const retryLater = (message: string) => new AppError(503, 'ServiceUnavailable', message);
