import type { JWK } from 'jose';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface JwksProxy {
  /** Where the processor is pointed (CTP_JWKS_URL). */
  url: string;
  /** JWKS requests that reached the proxy since the start or the last reset. */
  fetches(): number;
  reset(): void;
  /** Publishes one more key next to jwt-mock's, as an issuer rotating its keys does. */
  publish(jwk: JWK): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server in front of jwt-mock's JWKS: jwt-mock counts nothing and has one key, and
 * the JWKS tests need both the number of fetches and a key rotation.
 */
export async function startJwksProxy(upstreamJwksUrl: string): Promise<JwksProxy> {
  let fetches = 0;
  const published: JWK[] = [];
  const server = createServer((_request, response) => {
    fetches++;
    fetch(upstreamJwksUrl)
      .then((res) => res.json() as Promise<{ keys: JWK[] }>)
      .then((jwks) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [...jwks.keys, ...published] }));
      })
      .catch(() => {
        response.writeHead(502).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwt/.well-known/jwks.json`,
    fetches: () => fetches,
    reset: () => void (fetches = 0),
    publish: (jwk) => void published.push(jwk),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
