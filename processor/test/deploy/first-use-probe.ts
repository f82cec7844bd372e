/**
 * Bundled by the production build's options (bundle.test.ts) and run: uses every module the
 * bundle leaves out and loads on first use, as the payments SDK and @fastify/swagger use them.
 */
import { DefaultJWTService, setupPaymentSDK } from '@commercetools/connect-payments-sdk';
import swagger from '@fastify/swagger';
import Fastify from 'fastify';

async function probe(): Promise<Record<string, unknown>> {
  const [jwksUrl, token] = process.argv.slice(2) as [string, string];
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  // The SDK's default logger (winston, logform, lodash) writes JSON lines to the console.
  process.stdout.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stdout.write;
  setupPaymentSDK({
    apiUrl: 'http://127.0.0.1:9',
    authUrl: 'http://127.0.0.1:9',
    sessionUrl: 'http://127.0.0.1:9',
    checkoutUrl: 'http://127.0.0.1:9',
    jwksUrl,
    jwtIssuer: 'issuer',
    clientId: 'client',
    clientSecret: 'secret',
    projectKey: 'probe-project',
    getContextFn: () => ({ correlationId: 'probe-correlation', requestId: 'probe-request' }),
    updateContextFn: () => undefined,
  });
  process.stdout.write = write;

  // The SDK's own JWT verification: jwks-rsa and jsonwebtoken.
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  const verified = (await new DefaultJWTService({ jwksUrl, logger }).verify({ token })) as Record<string, unknown>;
  const refused = await new DefaultJWTService({ jwksUrl, logger }).verify({ token: `${token.slice(0, -4)}AAAA` }).then(
    () => 'accepted',
    (error: Error) => error.message,
  );

  const app = Fastify();
  await app.register(swagger, { openapi: { info: { title: 'probe', version: '1.0.0' } } });
  app.get('/probe', async () => 'ok');
  await app.ready();
  return {
    logged: lines.join(''),
    claims: Object.keys(verified).sort(),
    refused,
    yaml: app.swagger({ yaml: true }),
  };
}

probe().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
