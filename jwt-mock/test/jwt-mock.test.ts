import type { FastifyInstance } from 'fastify';
import { createRemoteJWKSet, decodeProtectedHeader, exportPKCS8, generateKeyPair, jwtVerify } from 'jose';
import { buildJwtMock } from '../src/app';

const issuer = 'https://mc.example.test';

async function start(
  options: Partial<Parameters<typeof buildJwtMock>[0]> = {},
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildJwtMock({ issuer, projectKey: 'sandbox', ...options });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

async function token(url: string, claims: unknown): Promise<Response> {
  return fetch(`${url}/jwt/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(claims),
  });
}

describe('jwt-mock', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => ({ app, url } = await start({ kid: 'test-kid' })));
  afterAll(() => app.close());

  it('publishes an RS256 signing key with kid, use and alg and no private part', async () => {
    const res = await fetch(`${url}/jwt/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', kid: 'test-kid', use: 'sig', alg: 'RS256' });
    expect(keys[0]).not.toHaveProperty('d');
  });

  it('signs the posted claims with default issuer, project-key claim and expiry, verifiable with the JWKS', async () => {
    const res = await token(url, { sub: 'user-1', custom: 'x' });
    expect(res.status).toBe(200);
    const { token: jwt } = (await res.json()) as { token: string };
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: 'test-kid' });
    const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${url}/jwt/.well-known/jwks.json`)), {
      issuer,
    });
    expect(payload).toMatchObject({
      sub: 'user-1',
      custom: 'x',
      iss: issuer,
      [`${issuer}/claims/project_key`]: 'sandbox',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('lets the body override issuer, project key and expiry (to build invalid tokens for tests)', async () => {
    const past = Math.floor(Date.now() / 1000) - 60;
    const res = await token(url, {
      iss: 'https://other.test',
      'https://other.test/claims/project_key': 'other',
      exp: past,
    });
    const { token: jwt } = (await res.json()) as { token: string };
    const jwks = createRemoteJWKSet(new URL(`${url}/jwt/.well-known/jwks.json`));
    await expect(jwtVerify(jwt, jwks)).rejects.toThrow(/exp/);
    const { payload } = await jwtVerify(jwt, jwks, { currentDate: new Date(past * 1000 - 1000) });
    expect(payload).toMatchObject({ iss: 'https://other.test', 'https://other.test/claims/project_key': 'other' });
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'claims'],
    ['a non-integer exp', { exp: 'tomorrow' }],
    ['an exp too far ahead', { exp: Math.floor(Date.now() / 1000) + 365 * 24 * 3600 }],
  ])('answers 400 for %s', async (_name, body) => {
    const res = await token(url, body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toEqual(expect.any(String));
  });

  it('uses a configured private key, so tokens survive a restart', async () => {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const first = await start({ privateKeyPem: pem, kid: 'stable' });
    const jwt = ((await (await token(first.url, {})).json()) as { token: string }).token;
    await first.app.close();
    const second = await start({ privateKeyPem: pem, kid: 'stable' });
    try {
      const { payload } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${second.url}/jwt/.well-known/jwks.json`)));
      expect(payload.iss).toBe(issuer);
    } finally {
      await second.app.close();
    }
  });
});
