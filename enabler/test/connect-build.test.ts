import { copyApplication, npm, npmStart, waitFor } from 'sandbox/src/testing/connect-app';
import { freePort } from 'sandbox/src/testing/spawn';

/**
 * commercetools Connect builds `enabler/` alone as an assets application: its own package.json and
 * lockfile, `npm ci`, `npm run build` into `public/`, which `npm start` serves.
 */
let app: ReturnType<typeof copyApplication>;
let started: ReturnType<typeof npmStart> | undefined;

beforeAll(() => {
  app = copyApplication('enabler');
});
afterAll(async () => {
  await started?.stop();
  app?.remove();
});

it('enabler/ alone: npm ci, npm run build, npm start serves the ES and UMD bundles from public/', async () => {
  const install = await npm(app.dir, ['ci', '--no-audit', '--no-fund']);
  if (Number(process.versions.node.split('.')[0]) >= 24) expect(install).not.toContain('EBADENGINE');
  await npm(app.dir, ['run', 'build']);

  const port = await freePort();
  started = npmStart(app.dir, { PORT: String(port) });
  const get = (file: string) => fetch(`http://127.0.0.1:${port}/${file}`);
  await waitFor(
    async () => (await get('connector-enabler.es.js').catch(() => undefined))?.ok === true,
    20_000,
    () => `the enabler was not served:\n${started!.output()}`,
  );
  for (const file of ['connector-enabler.es.js', 'connector-enabler.umd.js']) {
    const res = await get(file);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await res.text()).length).toBeGreaterThan(1000);
  }
  expect((await get('connector-enabler.es.js.map')).status).toBe(404);
}, 180_000);
