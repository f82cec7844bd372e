import { spawn } from 'node:child_process';
import { DIVERGENCE_REPORT } from '../../src/stripe/shape-checks';
import { freePort, REPO_ROOT } from '../../src/testing/spawn';

export interface Stack {
  /** What `npm start` printed up to "ready" (the URLs of every service). */
  output: string;
  stop(): Promise<void>;
}

/** `npm start` (scripts/start.mjs) on free ports, with `env` on top; resolves once it is ready. */
export async function startStack(env: Record<string, string>): Promise<Stack> {
  const [ct, stripe, jwt, processor, demo] = await Promise.all(Array.from({ length: 5 }, freePort));
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      SANDBOX_CT_PORT: String(ct),
      SANDBOX_STRIPE_PORT: String(stripe),
      JWT_MOCK_PORT: String(jwt),
      PROCESSOR_PORT: String(processor),
      DEMO_PORT: String(demo),
      LOG_LEVEL: 'warn',
      // What the Stripe emulator answers and delivers is checked against Stripe's types.
      SANDBOX_STRIPE_VALIDATE_SHAPES: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    // The sandbox reports each shape divergence of its Stripe emulator on stderr.
    const divergences = output.split('\n').filter((line) => line.includes(DIVERGENCE_REPORT));
    if (divergences.length > 0) throw new Error(`The Stripe emulator diverged:\n${divergences.join('\n')}`);
  };
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      reject(new Error(`npm start not ready:\n${output}`));
    }, 40000);
    const poll = setInterval(() => {
      if (!output.includes('Ctrl-C stops everything.')) return;
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    }, 100);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { output, stop };
}

/** The URLs `npm start` printed: the demo page, commercetools and the Stripe emulator. */
export function stackUrls(stack: Stack): { demo: string; commercetools: string; stripe: string } {
  const url = (pattern: RegExp) => pattern.exec(stack.output)![1]!.replace(/\/$/, '');
  return {
    demo: url(/demo checkout page\s+(\S+)/),
    commercetools: url(/commercetools API \+ OAuth\s+(\S+)/),
    stripe: url(/Stripe API emulator\s+(\S+)/),
  };
}

/** The sandbox project's commercetools API (a fresh token per call) and the Stripe emulator, for checks. */
export function stackApis(urls: { commercetools: string; stripe: string }) {
  return {
    async ct<T>(p: string, body?: unknown): Promise<T> {
      const token = (await (
        await fetch(`${urls.commercetools}/_sandbox/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ scope: 'manage_project:sandbox', expiresIn: 600 }),
        })
      ).json()) as { access_token: string };
      const res = await fetch(`${urls.commercetools}/sandbox${p}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${token.access_token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!res.ok) throw new Error(`commercetools answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as T;
    },
    async stripe<T>(p: string): Promise<T> {
      const res = await fetch(`${urls.stripe}/v1${p}`, { headers: { authorization: 'Bearer sk_test_sandbox' } });
      return (await res.json()) as T;
    },
  };
}
