import { spawn } from 'node:child_process';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { call, type World } from './world';

export interface CliLine {
  /** Milliseconds since the command was started. */
  at: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Every line with the time it arrived: what an operator watching the terminal sees, and when. */
  lines: CliLine[];
  ms: number;
}

/** The environment an operator would have: the upstreams of the world, nothing of the test process. */
export function cliEnv(world: World, extra: Record<string, string | undefined> = {}): Record<string, string> {
  return Object.fromEntries(
    Object.entries({
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...world.env,
      STRIPE_WEBHOOK_SIGNING_SECRET: undefined,
      CONNECT_SERVICE_URL: 'http://127.0.0.1:9/',
      ...extra,
    }).filter(([, v]) => v !== undefined),
  ) as Record<string, string>;
}

/** Runs a command line to its end, recording when each line of output arrived. */
export function runCommand(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; timeoutMs?: number },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd: options.cwd ?? `${REPO_ROOT}/processor/test`, env: options.env });
    const lines: CliLine[] = [];
    const out = { stdout: '', stderr: '' };
    const pending = { stdout: '', stderr: '' };
    const collect = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      out[stream] += text;
      pending[stream] += text;
      let newline: number;
      while ((newline = pending[stream].indexOf('\n')) >= 0) {
        lines.push({ at: Date.now() - started, stream, text: pending[stream].slice(0, newline) });
        pending[stream] = pending[stream].slice(newline + 1);
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `${args.join(' ')} still running after ${options.timeoutMs ?? 60000} ms:\n${out.stdout}${out.stderr}`,
        ),
      );
    }, options.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, ...out, lines, ms: Date.now() - started });
    });
  });
}

/**
 * `processor/src/cli/<name>.ts` as the npm scripts run it, with the configuration of `env` only:
 * a processor/.env of the checkout must not leak into the test.
 */
export function runCli(
  name: 'deploy' | 'reconcile',
  args: string[],
  options: { env: Record<string, string>; timeoutMs?: number },
): Promise<CliRun> {
  return runCommand(
    process.execPath,
    ['--import', 'tsx', `${REPO_ROOT}/processor/src/cli/${name}.ts`, ...args, '--dotenv', 'none'],
    options,
  );
}

/** A fault on the sandbox's commercetools or Stripe emulator (see sandbox/README.md). */
export async function fault(world: World, upstream: 'commercetools' | 'stripe', spec: Record<string, unknown>) {
  const base = upstream === 'commercetools' ? world.sandbox.info.commercetools : world.sandbox.info.stripe;
  const res = await call(`${base}/_sandbox/faults`, { json: spec });
  if (res.status !== 201) throw new Error(`fault not installed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function clearFaults(world: World) {
  await Promise.all(
    [world.sandbox.info.commercetools, world.sandbox.info.stripe].map((base) =>
      fetch(`${base}/_sandbox/faults`, { method: 'DELETE' }),
    ),
  );
}
