/** Errors the enabler gives the page: always Error subclasses with a code (D15). */
export class EnablerError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'EnablerError';
  }
}

/** The processor answered an error (its commercetools error shape: status, code, message). */
export class ProcessorError extends EnablerError {
  constructor(
    message: string,
    code: string,
    readonly status: number,
  ) {
    super(message, code);
    this.name = 'ProcessorError';
  }
}

/** The payment was refused: a card decline (with Stripe's decline code) or a failed authentication. */
export class PaymentDeclinedError extends EnablerError {
  constructor(
    message: string,
    code: string,
    readonly declineCode?: string,
    readonly paymentReference?: string,
  ) {
    super(message, code);
    this.name = 'PaymentDeclinedError';
  }
}

/** What the shopper entered is incomplete or invalid (the Element shows where). */
export class ValidationError extends EnablerError {
  constructor(message: string) {
    super(message, 'validation_error');
    this.name = 'ValidationError';
  }
}
