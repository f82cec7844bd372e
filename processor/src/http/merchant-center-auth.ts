import {
  ErrorAuthErrorResponse,
  JWTAuthenticationHook,
  JWTAuthenticationManager,
  type Logger,
} from '@commercetools/connect-payments-sdk';
import type { onRequestAsyncHookHandler } from 'fastify';
import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import type { Config } from '../config/load-config';
import type { PaymentSdk } from '../commercetools/sdk';

// The RSA family the SDK's verifier accepted for the issuer's RSA keys; HMAC and `none` never,
// so that the public key cannot be turned into a shared secret.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

export interface JwksVerifierOptions {
  jwksUrl: string;
  issuer: string;
  audience?: string;
  cooldownMs: number;
}

/**
 * The signature, algorithm and time checks of Merchant Center tokens, in the shape of the
 * payments SDK's JWT service. The SDK's own service asks the JWKS endpoint again for every token
 * whose key id it does not know, so that anyone can make the processor fetch the JWKS once per
 * request. This one keeps the whole key set (refreshed every 10 minutes) and fetches it again
 * for an unknown key at most once per cooldown: a rotated key is accepted at most a cooldown
 * after it is published.
 */
export function jwksVerifier(options: JwksVerifierOptions) {
  const url = new URL(options.jwksUrl);
  // Made with the first token: it loads node's fetch (undici), which start-up does not need.
  let keys: ReturnType<typeof createRemoteJWKSet> | undefined;
  const keySet = () => (keys ??= createRemoteJWKSet(url, { cooldownDuration: options.cooldownMs }));
  return {
    async verify({ token }: { token: string | undefined }): Promise<unknown> {
      if (!token) throw new ErrorAuthErrorResponse('Token is missing');
      try {
        const { payload } = await jwtVerify(token, keySet(), {
          algorithms: ALGORITHMS,
          issuer: options.issuer,
          requiredClaims: ['exp'],
          ...(options.audience ? { audience: options.audience } : {}),
        });
        return payload;
      } catch (error) {
        // jose's messages name the failed check, never a claim's value or the token.
        const message = error instanceof errors.JOSEError ? error.message : 'The token could not be verified.';
        throw new ErrorAuthErrorResponse(message, { privateMessage: message, cause: error });
      }
    },
  };
}

/**
 * The Merchant Center JWT hook: the SDK's hook and manager (which check the issuer and the
 * project-key claim and fill the request context), over the verifier above.
 */
export function merchantCenterAuth(sdk: PaymentSdk, config: Config, logger: Logger): onRequestAsyncHookHandler {
  const ct = config.commercetools;
  const authenticationManager = new JWTAuthenticationManager({
    jwtService: jwksVerifier({
      jwksUrl: ct.jwksUrl,
      issuer: ct.jwtIssuer,
      cooldownMs: ct.jwksCooldownMs,
      ...(ct.jwtAudience ? { audience: ct.jwtAudience } : {}),
    }),
    iss: ct.jwtIssuer,
    projectKey: ct.projectKey,
    logger,
  });
  const hook = new JWTAuthenticationHook({ authenticationManager, contextProvider: sdk.contextProvider, logger });
  return hook.authenticate() as onRequestAsyncHookHandler;
}
