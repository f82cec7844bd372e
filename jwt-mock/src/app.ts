import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, importPKCS8, SignJWT, type CryptoKey, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';

export interface JwtMockOptions {
  /** Issuer put in `iss` unless the body names another. */
  issuer: string;
  /** Project key put in the `{iss}/claims/project_key` claim unless the body names another. */
  projectKey: string;
  /** PKCS#8 PEM of an RS256 key; a fresh key is generated at start when absent. */
  privateKeyPem?: string;
  /** Key id announced in the JWKS and put in token headers. */
  kid?: string;
  /** Default token lifetime in seconds. */
  ttlSeconds?: number;
  logger?: boolean;
}

const ALG = 'RS256';
const MAX_TTL_SECONDS = 7 * 24 * 3600;

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function loadKey(options: JwtMockOptions): Promise<SigningKey> {
  const kid = options.kid ?? `jwt-mock-${randomUUID()}`;
  if (options.privateKeyPem) {
    const privateKey = await importPKCS8(options.privateKeyPem, ALG, { extractable: true });
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(privateKey);
    return { kid, privateKey, jwk: { ...publicJwk, kid, use: 'sig', alg: ALG } };
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, use: 'sig', alg: ALG } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A stand-in for the Merchant Center's token issuer: publishes a JWKS and signs JWTs with the
 * claims posted to it, defaulting the issuer and the project-key claim that commercetools
 * Connect services check.
 */
export async function buildJwtMock(options: JwtMockOptions): Promise<FastifyInstance> {
  const key = await loadKey(options);
  const ttl = options.ttlSeconds ?? 3600;
  const app = Fastify({ logger: options.logger ? { level: 'info' } : false, bodyLimit: 64 * 1024 });

  app.get('/jwt/.well-known/jwks.json', async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: [key.jwk] };
  });

  app.post<{ Body: unknown }>('/jwt/token', async (request, reply) => {
    const body = request.body ?? {};
    if (!isPlainObject(body)) {
      return reply.code(400).send({ message: 'The body must be a JSON object of claims.' });
    }
    const now = Math.floor(Date.now() / 1000);
    const iss = typeof body.iss === 'string' ? body.iss : options.issuer;
    const claims: Record<string, unknown> = {
      sub: 'merchant-center-user',
      [`${iss}/claims/project_key`]: options.projectKey,
      iat: now,
      exp: now + ttl,
      ...body,
      iss,
    };
    const errors: string[] = [];
    for (const name of ['iat', 'exp', 'nbf']) {
      const value = claims[name];
      if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value))) {
        errors.push(`${name} must be an integer number of seconds`);
      }
    }
    if (typeof claims.exp === 'number' && claims.exp - now > MAX_TTL_SECONDS) {
      errors.push(`exp must be at most ${MAX_TTL_SECONDS} seconds ahead`);
    }
    if (errors.length > 0) return reply.code(400).send({ message: errors.join('; ') });

    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, kid: key.kid, typ: 'JWT' })
      .sign(key.privateKey);
    return { token, kid: key.kid, expiresAt: claims.exp };
  });

  app.get('/health', async () => ({ status: 'ok' }));

  return app;
}
