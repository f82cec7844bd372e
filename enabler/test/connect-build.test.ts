import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
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

it('the built folder is a package a storefront can consume: its files, its exports and its types', async () => {
  // Runs after the build above (same copied folder).
  const packed = JSON.parse(await npm(app.dir, ['pack', '--dry-run', '--json', '--ignore-scripts'])) as {
    name: string;
    files: { path: string }[];
  }[];
  const files = packed[0]!.files.map((f) => f.path).sort();
  expect(packed[0]!.name).toBe('stripe-commercetools-enabler');
  expect(files).toEqual(
    expect.arrayContaining([
      'package.json',
      'public/connector-enabler.es.js',
      'public/connector-enabler.umd.js',
      'dist/types/main.d.ts',
    ]),
  );
  expect(files.filter((f) => f.endsWith('.map') || f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);

  // A TypeScript storefront importing the package by name resolves the types through `exports`.
  const consumer = path.join(path.dirname(app.dir), 'storefront');
  mkdirSync(path.join(consumer, 'node_modules'), { recursive: true });
  symlinkSync(app.dir, path.join(consumer, 'node_modules', 'stripe-commercetools-enabler'), 'dir');
  writeFileSync(
    path.join(consumer, 'checkout.ts'),
    [
      "import { Enabler, EnablerError, type EnablerOptions, type PaymentResult } from 'stripe-commercetools-enabler';",
      'const options: EnablerOptions = {',
      "  processorUrl: 'https://processor.example',",
      "  sessionId: 'session',",
      "  locale: 'de-DE',",
      '  onComplete: (result: PaymentResult) => void result.isSuccess,',
      '  onError: (error: Error) => void (error instanceof EnablerError && error.code),',
      '};',
      "export const builder = new Enabler(options).createDropinBuilder('embedded');",
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(consumer, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        module: 'esnext',
        moduleResolution: 'bundler',
        target: 'es2022',
        lib: ['es2022', 'dom'],
        types: [],
      },
      files: ['checkout.ts'],
    }),
  );
  const tsc = path.join(app.dir, 'node_modules', 'typescript', 'bin', 'tsc');
  expect(() => execFileSync(process.execPath, [tsc, '-p', consumer], { encoding: 'utf8' })).not.toThrow();
  // ...and a wrong option is refused: the types are really there, not `any`.
  writeFileSync(
    path.join(consumer, 'checkout.ts'),
    "import { Enabler } from 'stripe-commercetools-enabler';\nnew Enabler({ processorUrl: 1 });\n",
  );
  let refusal = '';
  try {
    execFileSync(process.execPath, [tsc, '-p', consumer], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    refusal = String((error as { stdout?: string }).stdout);
  }
  expect(refusal).toMatch(/error TS2\d+: .*number.*string/);
}, 60_000);
