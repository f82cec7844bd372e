import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
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

/** A key of the issuer that jwt-mock does not publish: its tokens verify once the key is published. */
export async function signingKey(world: World, kid: string) {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const iss = world.jwt.info.issuer;
  const sign = (claims: Record<string, unknown> = {}, { expires = true } = {}) => {
    const jwt = new SignJWT({ iss, [`${iss}/claims/project_key`]: 'sandbox', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuedAt();
    return (expires ? jwt.setExpirationTime('1h') : jwt).sign(privateKey);
  };
  // The classic confusion attack: the public key, known to everyone, used as an HMAC secret.
  const signWithPublicKeyAsSecret = async () =>
    new SignJWT({ iss, [`${iss}/claims/project_key`]: 'sandbox' })
      .setProtectedHeader({ alg: 'HS256', kid })
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(await exportSPKI(publicKey)));
  return { jwk, sign, signWithPublicKeyAsSecret };
}
