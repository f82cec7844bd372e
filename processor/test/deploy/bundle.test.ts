import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startJwtMock, type JwtMockInfo, type SpawnedService } from 'sandbox/src/testing/spawn';
import { call } from '../../testing/world';

/**
 * The production build (scripts/build.mjs): what the service's bundle holds and leaves to other
 * files. A few modules that dependencies load but the processor never has them call are left out
 * and loaded from node_modules when first used: a probe bundled with the same options uses each of
 * them as its owner does.
 */
const PROCESSOR = path.resolve(__dirname, '../..');
let jwt: SpawnedService<JwtMockInfo>;
let outdir: string;

beforeAll(async () => {
  jwt = await startJwtMock({ CTP_PROJECT_KEY: 'sandbox' });
  // Inside processor/node_modules, so that node finds the dependencies from the bundle as from dist/.
  mkdirSync(path.join(PROCESSOR, 'node_modules/.cache'), { recursive: true });
  outdir = mkdtempSync(path.join(PROCESSOR, 'node_modules/.cache/first-use-'));
});
afterAll(async () => {
  await jwt?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

function build(builds?: Record<string, string>[]): void {
  const options = JSON.stringify({ outdir, ...(builds ? { builds } : {}) });
  const script = `import('./scripts/build.mjs').then((b) => b.bundle(${options}))`;
  const built = spawnSync(process.execPath, ['-e', script], { cwd: PROCESSOR, encoding: 'utf8' });
  expect(built.stderr).toBe('');
  expect(built.status).toBe(0);
}

it("the service's bundle: fastify's compilers in a file of their own, one copy of each package version", () => {
  build();
  const main = readFileSync(path.join(outdir, 'main.js'), 'utf8');
  const compilers = readFileSync(path.join(outdir, 'schema-compilers.js'), 'utf8');
  expect(main).toContain('require("./schema-compilers.js")');
  expect(main).not.toMatch(/\/ajv\/dist\/|\/fast-json-stringify\/index\.js/);
  // esbuild names each bundled module by its path: one ajv, wherever npm put copies of it.
  expect(new Set(compilers.match(/"[^"]*node_modules\/[^"]*ajv\/dist\/ajv\.js"/g))).toHaveProperty('size', 1);
  expect(compilers).toContain('/fast-json-stringify/index.js"');
  for (const command of ['cli/deploy.js', 'cli/reconcile.js'])
    expect(readFileSync(path.join(outdir, command), 'utf8')).toBeTruthy();
}, 60_000);

it('the modules loaded on first use are not in the bundle, and work when used', async () => {
  build([{ probe: 'test/deploy/first-use-probe.ts' }]);
  const bundle = readFileSync(path.join(outdir, 'probe.js'), 'utf8');
  for (const left of ['first-use:@commercetools/connect-payments-sdk>jwks-rsa', 'first-use:@fastify/swagger>yaml'])
    expect(bundle).toContain(left);
  expect(bundle).not.toContain('node_modules/winston/');
  expect(bundle).not.toContain('node_modules/jsonwebtoken/');
  expect(bundle).not.toContain('node_modules/yaml/');

  const token = (await call(`${jwt.info.url}/jwt/token`, { json: {} })).body.token as string;
  const run = spawnSync(process.execPath, [path.join(outdir, 'probe.js'), jwt.info.jwksUrl, token], {
    cwd: outdir,
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(run.stdout) as { logged: string; claims: string[]; refused: string; yaml: string };
  // winston through the SDK's formatter (logform, lodash): its fields on the SDK's line.
  expect(result.logged).toContain('payment-sdk initialized');
  expect(result.logged).toContain('probe-project');
  expect(result.logged).toContain('probe-correlation');
  // jwks-rsa and jsonwebtoken: a token of the key set verified, a tampered one refused.
  expect(result.claims).toEqual(expect.arrayContaining(['exp', 'iss']));
  expect(result.refused).toMatch(/invalid signature/);
  expect(result.yaml).toMatch(/^openapi: 3\./);
  expect(result.yaml).toContain('/probe:');
}, 60_000);
