import pino, { type Logger } from 'pino';

/**
 * Paths removed from every log line. Request headers are not logged by default; these cover
 * anything that logs them or a Stripe object by mistake (D22, principle 6).
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-session-id"]',
  'req.headers["stripe-signature"]',
  'req.headers.cookie',
  'headers.authorization',
  'clientSecret',
  'client_secret',
  '*.clientSecret',
  '*.client_secret',
  '*.*.client_secret',
  'secret',
  '*.secret',
  'password',
  '*.password',
];

/** Errors are logged by type, code and message: a Stripe error's `raw` may hold a client secret. */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & {
    type?: string;
    code?: string;
    statusCode?: number;
    httpErrorStatus?: number;
    requestId?: string;
  };
  return {
    type: e.type ?? e.name,
    message: e.message,
    ...(e.code ? { code: e.code } : {}),
    ...(e.statusCode ? { statusCode: e.statusCode } : {}),
    ...(e.httpErrorStatus ? { httpErrorStatus: e.httpErrorStatus } : {}),
    ...(e.requestId ? { stripeRequestId: e.requestId } : {}),
    stack: e.stack,
  };
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'stripe-processor' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: safeError, error: safeError },
    },
    destination,
  );
}
