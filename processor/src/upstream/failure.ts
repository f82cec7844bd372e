import type { Config } from '../config/load-config';

/**
 * A request that got no answer from commercetools or Stripe (refused, unknown host, closed,
 * timed out), told as an operator needs it: which upstream, at which address, and why. Only the
 * origin of the URL is kept, never a path, query or credential.
 */
export type UpstreamName = 'commercetools' | 'Stripe';

export class UpstreamFailure extends Error {
  constructor(
    readonly upstream: UpstreamName,
    readonly origin: string,
    /** `did not answer within N s`, `connection refused`, `host not found (DNS)`... */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(
      reason.startsWith('did not answer') ? `${upstream} (${origin}) ${reason}` : `${upstream} (${origin}): ${reason}`,
      options,
    );
    this.name = 'UpstreamFailure';
  }

  toJSON() {
    return {
      kind: 'upstream',
      upstream: this.upstream,
      origin: this.origin,
      cause: this.reason,
      message: this.message,
    };
  }
}

export const waited = (timeoutMs: number) => `did not answer within ${Math.round(timeoutMs / 100) / 10} s`;

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed (temporary)',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed before an answer',
  UND_ERR_SOCKET: 'connection closed before an answer',
  UND_ERR_CLOSED: 'connection closed before an answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'could not connect in time',
  CERT_HAS_EXPIRED: 'TLS certificate expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS certificate not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS certificate not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS certificate not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate is for another host',
};

/** The network-level reason of a failed request (`fetch failed` hides it in its cause), if it is one. */
export function networkReason(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && REASONS[code]) return REASONS[code];
    if ((e as Error).message === 'socket hang up') return 'connection closed before an answer';
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The UpstreamFailure inside an error as the clients wrap it: commercetools errors carry ours in
 * `cause`, `error` or `body`; Stripe's connection errors carry the socket error in `detail`.
 */
export function findUpstreamFailure(
  error: unknown,
  stripe: { origin: string; timeoutMs: number },
): UpstreamFailure | undefined {
  const seen = new Set<unknown>();
  const visit = (e: unknown, depth: number): UpstreamFailure | undefined => {
    if (!e || typeof e !== 'object' || seen.has(e) || depth > 6) return undefined;
    seen.add(e);
    if (e instanceof UpstreamFailure) return e;
    const fields = e as { type?: unknown; detail?: unknown; cause?: unknown; error?: unknown; body?: unknown };
    if (fields.type === 'StripeConnectionError') {
      const detail = fields.detail as { code?: unknown } | undefined;
      const reason = detail?.code === 'ETIMEDOUT' ? waited(stripe.timeoutMs) : networkReason(detail);
      return new UpstreamFailure('Stripe', stripe.origin, reason ?? 'no answer', { cause: e });
    }
    return visit(fields.cause, depth + 1) ?? visit(fields.error, depth + 1) ?? visit(fields.body, depth + 1);
  };
  return visit(error, 0);
}

/** Where the Stripe client of this configuration sends its requests. */
export const stripeOrigin = (config: Pick<Config, 'stripe'>) =>
  config.stripe.apiUrl ? new URL(config.stripe.apiUrl).origin : 'https://api.stripe.com';

/** The UpstreamFailure of an error raised by the clients `buildCommandDeps` makes, if it is one. */
export const upstreamFailureOf = (error: unknown, config: Pick<Config, 'stripe' | 'commands'>) =>
  findUpstreamFailure(error, { origin: stripeOrigin(config), timeoutMs: config.commands.upstreamTimeoutMs });

/** What to tell an operator about a failed step: the upstream that failed, or the error itself. */
export const failureMessage = (error: unknown, config: Pick<Config, 'stripe' | 'commands'>) =>
  upstreamFailureOf(error, config)?.message ?? (error instanceof Error ? error.message : String(error));
