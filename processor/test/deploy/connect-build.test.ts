import { copyApplication, npm, npmStart, waitFor } from 'sandbox/src/testing/connect-app';
import { freePort } from 'sandbox/src/testing/spawn';
import { mcToken } from '../../testing/tokens';
import { call, startWorld, type World } from '../../testing/world';

/**
 * commercetools Connect builds `processor/` alone (Cloud Native Buildpacks on that folder): its
 * own package.json and lockfile, `npm ci`, `npm run build`, the post-deploy script, `npm start`.
 * Nothing from the root workspace (overrides, tsconfig, devDependencies) may be needed.
 */
let world: World;
let app: ReturnType<typeof copyApplication>;
let started: ReturnType<typeof npmStart> | undefined;

beforeAll(async () => {
  world = await startWorld();
  app = copyApplication('processor');
});
afterAll(async () => {
  await started?.stop();
  app?.remove();
  await world?.stop();
});

it('processor/ alone: npm ci, npm run build, post-deploy and npm start; the port opens and /operations/status answers', async () => {
  const install = await npm(app.dir, ['ci', '--no-audit', '--no-fund']);
  if (Number(process.versions.node.split('.')[0]) >= 24) expect(install).not.toContain('EBADENGINE');
  await npm(app.dir, ['run', 'build']);

  const port = await freePort();
  const env = Object.fromEntries(
    Object.entries(world.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'STRIPE_WEBHOOK_SIGNING_SECRET',
    ),
  );
  // As Connect runs it: the webhook endpoint and its stored secret, which the processor reads.
  const service = { ...env, CONNECT_SERVICE_URL: `http://127.0.0.1:${port}`, PORT: String(port), HOST: '127.0.0.1' };
  expect(await npm(app.dir, ['run', 'connector:post-deploy'], service)).toMatch(/webhook endpoint/i);

  started = npmStart(app.dir, service);
  await waitFor(
    () => started!.output().includes('PROCESSOR_READY'),
    30_000,
    () => `the processor did not start:\n${started!.output()}`,
  );
  const status = await call(`http://127.0.0.1:${port}/operations/status`, {
    headers: { authorization: `Bearer ${await mcToken(world)}` },
  });
  expect(status.status).toBe(200);
  expect(status.body.checks.map((c: { name: string; status: string }) => `${c.name} ${c.status}`)).toEqual(
    expect.arrayContaining(['Stripe API UP', 'Stripe webhook endpoint UP']),
  );
}, 240_000);
