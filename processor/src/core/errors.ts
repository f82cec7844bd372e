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

export const notFound = (what: string) => new AppError(404, 'ResourceNotFound', `${what} was not found.`);
export const invalidInput = (message: string, fields: Record<string, unknown> = {}) =>
  new AppError(400, 'InvalidInput', message, fields);
export const conflict = (code: string, message: string, fields: Record<string, unknown> = {}) =>
  new AppError(409, code, message, fields);
