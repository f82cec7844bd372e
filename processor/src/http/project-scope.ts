import type { onRequestAsyncHookHandler } from 'fastify';
import { insufficientScope } from '../core/errors';
import { getSdkContext } from './request-context';

/** The scopes, any one of them, that let a caller ask for payment operations. */
export const OPERATION_SCOPES = ['manage_project', 'manage_checkout_payment_intents'] as const;
/** The scopes, any one of them, that let a caller charge a stored payment method (`POST /operations/transactions`). */
export const TRANSACTION_SCOPES = ['manage_project', 'manage_checkout_transactions'] as const;

/**
 * After the OAuth2 hook: the token must carry one of `scopes` **for this project**. The payments
 * SDK's authority check drops the `:projectKey` suffix, so a token of another project with
 * `manage_project:other` would pass it; this checks the raw scopes the introspection returned.
 */
export function requireProjectScope(projectKey: string, scopes: readonly string[]): onRequestAsyncHookHandler {
  const wanted = new Set(scopes.map((scope) => `${scope}:${projectKey}`));
  return async () => {
    const authentication = getSdkContext().authentication as { getPrincipal?: () => { scope?: unknown } } | undefined;
    const granted = authentication?.getPrincipal?.().scope;
    const held = typeof granted === 'string' ? granted.split(' ') : [];
    if (!held.some((scope) => wanted.has(scope))) {
      throw insufficientScope(`The token needs one of these scopes: ${[...wanted].join(', ')}.`);
    }
  };
}
