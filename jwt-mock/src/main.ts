import { buildJwtMock } from './app';

interface JwtMockEnv {
  host: string;
  port: number;
  issuer: string;
  projectKey: string;
  privateKeyPem?: string;
  kid?: string;
}

function readEnv(env: NodeJS.ProcessEnv): JwtMockEnv {
  const errors: string[] = [];
  const port = Number(env.JWT_MOCK_PORT ?? 9000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    errors.push(`JWT_MOCK_PORT must be a port number, got "${env.JWT_MOCK_PORT}"`);
  const privateKeyPem = env.JWT_MOCK_PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (privateKeyPem && !privateKeyPem.includes('BEGIN PRIVATE KEY'))
    errors.push('JWT_MOCK_PRIVATE_KEY must be a PKCS#8 PEM');
  if (errors.length > 0) throw new Error(`invalid jwt-mock configuration:\n  - ${errors.join('\n  - ')}`);
  return {
    host: env.JWT_MOCK_HOST || '127.0.0.1',
    port,
    issuer: env.CTP_JWT_ISSUER || 'https://mc-api.europe-west1.gcp.commercetools.com',
    projectKey: env.CTP_PROJECT_KEY || 'sandbox',
    ...(privateKeyPem ? { privateKeyPem } : {}),
    ...(env.JWT_MOCK_KID ? { kid: env.JWT_MOCK_KID } : {}),
  };
}

async function main(): Promise<void> {
  const env = readEnv(process.env);
  const app = await buildJwtMock({
    issuer: env.issuer,
    projectKey: env.projectKey,
    ...(env.privateKeyPem ? { privateKeyPem: env.privateKeyPem } : {}),
    ...(env.kid ? { kid: env.kid } : {}),
    logger: process.env.JWT_MOCK_VERBOSE === 'true',
  });
  const address = await app.listen({ host: env.host, port: env.port });
  process.stdout.write(
    `JWT_MOCK_READY ${JSON.stringify({ url: address, jwksUrl: `${address}/jwt/.well-known/jwks.json`, issuer: env.issuer })}\n`,
  );
  const shutdown = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  if (process.env.JWT_MOCK_EXIT_WITH_PARENT === 'true') process.stdin.on('end', shutdown).resume();
}

main().catch((err: unknown) => {
  process.stderr.write(`jwt-mock failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
