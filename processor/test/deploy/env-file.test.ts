import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { cliEnv, runCommand } from '../../testing/cli';
import { startWorld, type World } from '../../testing/world';

/**
 * The operator commands run from the repository root (`npm run connector:post-deploy`) and from
 * processor/ (as Connect runs them) read the same processor/.env. The checkout is copied to a
 * temporary directory, so that the test writes no .env into the real one.
 */
let world: World;
let root: string;
beforeAll(async () => {
  world = await startWorld();
  root = mkdtempSync(path.join(tmpdir(), 'connector-env-'));
  for (const file of [
    'processor/src',
    'processor/scripts',
    'processor/package.json',
    'processor/tsconfig.build.json',
    'tsconfig.base.json',
  ])
    cpSync(path.join(REPO_ROOT, file), path.join(root, file), { recursive: true });
  for (const modules of ['node_modules', 'processor/node_modules'])
    symlinkSync(path.join(REPO_ROOT, modules), path.join(root, modules));
  const scripts = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: object })
    .scripts;
  writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'root', private: true, scripts }));
  const config = cliEnv(world);
  delete config.PATH;
  delete config.HOME;
  writeFileSync(
    path.join(root, 'processor/.env'),
    Object.entries(config)
      .map(([k, v]) => `${k}=${v}`)
      .join('\n'),
  );
  // A .env in the root is not the processor's: it must not be read.
  writeFileSync(path.join(root, '.env'), 'CTP_PROJECT_KEY=not-this-project\n');
});
afterAll(async () => {
  await world?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

// Only what a shell has: every processor key comes from processor/.env.
const shell = () => ({ PATH: process.env.PATH!, HOME: process.env.HOME ?? root });

it.each([
  ['connector:post-deploy', ['--dry-run'], /create\s+Stripe webhook endpoint/],
  ['connector:pre-undeploy', ['--dry-run'], /unchanged\s+stored webhook signing secret/],
  ['reconcile', ['--since', '1h', '--dry-run'], /checked 0, in sync 0/],
])('npm run %s from the repository root reads processor/.env', async (script, args, expected) => {
  const run = await runCommand('npm', ['run', '--silent', script, '--', ...args], { env: shell(), cwd: root });
  expect([run.status, run.stdout, run.stderr]).toEqual([0, expect.stringMatching(expected), expect.anything()]);
  expect(run.stdout).toContain('processor/.env');
});

it('npm run connector:post-deploy inside processor/ (the built command Connect runs) reads it too', async () => {
  const build = await runCommand('npm', ['run', '--silent', 'build'], {
    env: shell(),
    cwd: path.join(root, 'processor'),
    timeoutMs: 120000,
  });
  expect(build.status).toBe(0);
  const run = await runCommand('npm', ['run', '--silent', 'connector:post-deploy', '--', '--dry-run'], {
    env: shell(),
    cwd: path.join(root, 'processor'),
  });
  expect([run.status, run.stdout]).toEqual([0, expect.stringMatching(/create\s+Stripe webhook endpoint/)]);
}, 150000);
