import { generateKeyPair, SignJWT } from 'jose';
import { call, type World } from './world';

export async function oauthToken(world: World, scope: string, expiresIn?: number): Promise<string> {
  const res = await call(`${world.sandbox.info.commercetools}/_sandbox/tokens`, {
    json: { scope, ...(expiresIn !== undefined ? { expiresIn } : {}) },
  });
  return res.body.access_token;
}

export async function mcToken(world: World, claims: Record<string, unknown> = {}): Promise<string> {
  const res = await call(`${world.jwt.info.url}/jwt/token`, { json: claims });
  return res.body.token;
}

export async function rogueToken(world: World): Promise<string> {
  const { privateKey } = await generateKeyPair('RS256');
  const iss = world.jwt.info.issuer;
  return new SignJWT({ iss, [`${iss}/claims/project_key`]: 'sandbox' })
    .setProtectedHeader({ alg: 'RS256', kid: 'rogue' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
}
