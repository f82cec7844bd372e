/**
 * `npm start` (scripts/start.mjs) as a user runs it: everything comes up, answers, and Ctrl-C
 * leaves no process behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { DIVERGENCE_REPORT } from '../src/stripe/shape-checks';
import { REPO_ROOT } from '../src/testing/spawn';

function childPids(parent: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => pid > 0);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const ENABLER_TYPES = path.join(REPO_ROOT, 'enabler', 'dist', 'types', 'main.d.ts');

it('npm start brings the sandbox up, prints every URL, and Ctrl-C stops it with no orphan', async () => {
  rmSync(ENABLER_TYPES, { force: true });
  const start = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    // Free ports, so that a developer's running sandbox does not clash with the test.
    env: {
      ...process.env,
      SANDBOX_CT_PORT: '0',
      SANDBOX_STRIPE_PORT: '0',
      JWT_MOCK_PORT: '0',
      PROCESSOR_PORT: '0',
      DEMO_PORT: '0',
      SANDBOX_STRIPE_VALIDATE_SHAPES: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  start.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  start.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner:\n${output}`)), 25000);
    const poll = setInterval(() => {
      if (output.includes('Ctrl-C stops everything.')) {
        clearTimeout(timer);
        clearInterval(poll);
        resolve();
      }
      if (start.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        reject(new Error(`npm start exited early:\n${output}`));
      }
    }, 50);
  });

  const ctUrl = /commercetools API \+ OAuth\s+(\S+)/.exec(output)?.[1];
  const jwksUrl = /jwt-mock \(Merchant Center\)\s+(\S+)/.exec(output)?.[1];
  expect(ctUrl).toMatch(/^http:\/\//);
  expect(jwksUrl).toMatch(/jwks\.json$/);
  const checkout = await fetch(`${ctUrl}/_sandbox/checkout-session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  expect(checkout.status).toBe(201);
  expect((await fetch(jwksUrl!)).status).toBe(200);
  // The enabler it built for the demo is the whole package, type declarations included.
  expect(existsSync(ENABLER_TYPES)).toBe(true);

  const children = childPids(start.pid!);
  expect(children.length).toBeGreaterThanOrEqual(2);
  start.kill('SIGINT');
  expect(await exited).toBe(0);
  for (const pid of children) expect(alive(pid)).toBe(false);
  // What post-deploy asked of the Stripe emulator had Stripe's shapes.
  expect(output).not.toContain(DIVERGENCE_REPORT);
});
