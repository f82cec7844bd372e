/** Bodies shaped like commercetools API errors (`{statusCode, message, errors: [{code, message}]}`). */
export function ctError(statusCode: number, code: string, message: string, extra: Record<string, unknown> = {}) {
  return { statusCode, message, errors: [{ code, message, ...extra }] };
}

/** Default body of an injected commercetools fault with the given status. */
export function defaultCtFaultBody(status: number): unknown {
  switch (status) {
    case 409:
      return ctError(
        409,
        'ConcurrentModification',
        'Object has a different version than expected (injected by the sandbox).',
      );
    case 401:
      return {
        statusCode: 401,
        message: 'invalid_token',
        errors: [{ code: 'invalid_token', message: 'invalid_token' }],
        error: 'invalid_token',
      };
    case 403:
      return ctError(403, 'insufficient_scope', 'Insufficient scope (injected by the sandbox).');
    case 404:
      return ctError(404, 'ResourceNotFound', 'The resource could not be found (injected by the sandbox).');
    case 429:
      return ctError(429, 'TooManyRequests', 'Too many requests (injected by the sandbox).');
    case 502:
    case 503:
    case 504:
      return ctError(status, 'ServiceUnavailable', 'Service unavailable (injected by the sandbox).');
    default:
      return ctError(status, 'General', `Injected fault ${status}.`);
  }
}
