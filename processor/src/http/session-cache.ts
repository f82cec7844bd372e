import type { RequestContextData as SdkContext } from '@commercetools/connect-payments-sdk';
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify';
import { TtlMap } from '../core/ttl-map';
import { getSdkContext, updateSdkContext } from './request-context';

type Authentication = NonNullable<SdkContext['authentication']>;

export interface SessionCacheOptions {
  /** How long a verified session is trusted; 0 disables the cache. */
  ttlMs: number;
  /** Most sessions kept; the oldest go first. */
  maxEntries?: number;
  now?: () => number;
}

/**
 * Wraps the payments SDK's session-header hook so that one checkout (config, element config,
 * payment, confirm) asks the Session API once instead of on every call. Only sessions the SDK
 * verified are kept, each for at most `ttlMs`; concurrent calls with the same unknown session
 * share one verification. A session the SDK refuses is never cached: every such call is asked
 * about again, and answered by the SDK's own 401.
 */
export function cachedSessionAuth(sdkHook: onRequestAsyncHookHandler, options: SessionCacheOptions) {
  const { ttlMs, maxEntries = 10_000, now = Date.now } = options;
  const verified = new TtlMap<string, Authentication>(ttlMs, maxEntries, now);
  const verifying = new Map<string, Promise<Authentication | undefined>>();

  const useCached = (authentication: Authentication) => {
    const correlationId = (authentication.getPrincipal() as { correlationId?: string } | undefined)?.correlationId;
    updateSdkContext({ authentication, ...(correlationId ? { correlationId } : {}) });
  };

  const hook = async function (this: unknown, request: FastifyRequest, reply: unknown): Promise<void> {
    const run = () =>
      (sdkHook as (this: unknown, r: FastifyRequest, p: unknown) => Promise<void>).call(this, request, reply);
    const sessionId = request.headers['x-session-id'];
    if (ttlMs <= 0 || typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > 256) return run();

    const hit = verified.get(sessionId);
    if (hit) return useCached(hit);

    const pending = verifying.get(sessionId);
    if (pending) {
      const authentication = await pending;
      // The other call's verification failed: this one asks itself and gets its own answer.
      return authentication ? useCached(authentication) : run();
    }
    let settle: (value: Authentication | undefined) => void = () => undefined;
    verifying.set(
      sessionId,
      new Promise((resolve) => {
        settle = resolve;
      }),
    );
    try {
      await run();
      const authentication = getSdkContext().authentication;
      if (authentication) verified.set(sessionId, authentication);
      settle(authentication);
    } catch (error) {
      settle(undefined);
      throw error;
    } finally {
      verifying.delete(sessionId);
    }
  };
  return hook as onRequestAsyncHookHandler;
}
