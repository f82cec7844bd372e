import { spawnSync } from 'node:child_process';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { validEnv } from '../../testing/env';

function start(env: Record<string, string | undefined>) {
  // Only the given variables: nothing from the developer's shell or a .env may fill the gaps.
  const clean = Object.fromEntries(
    Object.entries({ PATH: process.env.PATH, ...env }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
  return spawnSync(process.execPath, ['--import', 'tsx', `${REPO_ROOT}/processor/src/main.ts`], {
    cwd: `${REPO_ROOT}/processor/test`,
    env: clean,
    encoding: 'utf8',
    timeout: 20000,
  });
}

it('D09: start-up with a bad config prints every problem at once and exits non-zero', () => {
  const result = start({
    ...validEnv(),
    CTP_CLIENT_ID: undefined,
    STRIPE_SECRET_KEY: 'sk_test_xxx_but_placeholder',
    STRIPE_WEBHOOK_SIGNING_SECRET: 'xxx',
    STRIPE_CAPTURE_METHOD: 'whenever',
    STRIPE_APPEARANCE: 'not json',
  });
  expect(result.status).toBe(1);
  expect(result.stdout).not.toContain('PROCESSOR_READY');
  expect(result.stderr).toContain('Invalid configuration (4 problems)');
  for (const key of [
    'CTP_CLIENT_ID: is required',
    'STRIPE_WEBHOOK_SIGNING_SECRET',
    'STRIPE_CAPTURE_METHOD',
    'STRIPE_APPEARANCE',
  ]) {
    expect(result.stderr).toContain(key);
  }
  expect(result.stderr).not.toContain('sk_test_xxx');
});
