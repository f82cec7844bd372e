import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { DIVERGENCE_REPORT } from '../../src/stripe/shape-checks';
import { REPO_ROOT } from '../../src/testing/spawn';

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

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
