import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
/**
 * Where spawned services run from: this checkout, or another one (SANDBOX_REPO_ROOT), e.g. to
 * test the processor against a known-good sandbox while the sandbox itself is being changed.
 */
const SERVICES_ROOT = process.env.SANDBOX_REPO_ROOT ?? REPO_ROOT;

export interface SpawnedService<T> {
  /** What the service printed on its ready line. */
  info: T;
  process: ChildProcess;
  /** Everything the service wrote to stdout and stderr so far (for diagnostics). */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  /** TypeScript entry point, relative to the repository root; run with tsx. */
  script: string;
  env?: Record<string, string>;
  /** Prefix of the stdout line that carries the ready JSON, e.g. `SANDBOX_READY`. */
  readyPrefix: string;
  timeoutMs?: number;
  /** Checkout to run the script from (default: this one). */
  root?: string;
}

/**
 * Starts one of the project's services as a real child process and resolves once it printed its
 * ready line. The child follows its parent: it exits when our stdin pipe closes.
 */
export function spawnService<T>(options: SpawnOptions): Promise<SpawnedService<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.script], {
    cwd: options.root ?? REPO_ROOT,
    env: { ...process.env, ...options.env, NODE_ENV: process.env.NODE_ENV ?? 'test' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${options.name} did not become ready within ${options.timeoutMs ?? 20000} ms:\n${output}`));
    }, options.timeoutMs ?? 20000);
    let buffer = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.startsWith(`${options.readyPrefix} `)) {
          clearTimeout(timer);
          resolve({
            info: JSON.parse(line.slice(options.readyPrefix.length + 1)) as T,
            process: child,
            output: () => output,
            stop,
          });
        }
      }
    });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with code ${code} before it was ready:\n${output}`));
    });
  });
}

export interface SandboxUrls {
  commercetools: string;
  sessionApi: string;
  projectKey: string;
  stripe: string;
  stripePublishableKey: string;
  stripeWebhookSecret?: string;
}

/** What the Stripe emulator answered or delivered that the stripe package's types do not allow. */
async function stripeDivergences(stripeUrl: string): Promise<unknown[]> {
  try {
    const res = await fetch(`${stripeUrl}/_sandbox/shapes`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return [];
    return ((await res.json()) as { divergences?: unknown[] }).divergences ?? [];
  } catch {
    return []; // already gone: its output says why
  }
}

/**
 * The whole sandbox on free ports. The Stripe emulator checks everything it answers and delivers
 * against the stripe package's types (a divergence is answered as a 500), and `stop()` fails
 * when any divergence was seen, so that no test passes on a shape Stripe would not send.
 */
export async function startSandbox(env: Record<string, string> = {}): Promise<SpawnedService<SandboxUrls>> {
  const sandbox = await spawnService<SandboxUrls>({
    name: 'sandbox',
    script: 'sandbox/src/main.ts',
    readyPrefix: 'SANDBOX_READY',
    root: SERVICES_ROOT,
    env: {
      SANDBOX_CT_PORT: '0',
      SANDBOX_STRIPE_PORT: '0',
      SANDBOX_EXIT_WITH_PARENT: 'true',
      SANDBOX_STRIPE_VALIDATE_SHAPES: '1',
      ...env,
    },
  });
  return {
    ...sandbox,
    stop: async () => {
      const divergences = await stripeDivergences(sandbox.info.stripe);
      await sandbox.stop();
      if (divergences.length > 0) {
        throw new Error(
          `The Stripe emulator diverged from the stripe package's types:\n${JSON.stringify(divergences, null, 2)}`,
        );
      }
    },
  };
}

export interface JwtMockInfo {
  url: string;
  jwksUrl: string;
  issuer: string;
}

export function startJwtMock(env: Record<string, string> = {}): Promise<SpawnedService<JwtMockInfo>> {
  return spawnService<JwtMockInfo>({
    name: 'jwt-mock',
    script: 'jwt-mock/src/main.ts',
    readyPrefix: 'JWT_MOCK_READY',
    root: SERVICES_ROOT,
    env: { JWT_MOCK_PORT: '0', JWT_MOCK_EXIT_WITH_PARENT: 'true', ...env },
  });
}

/** A TCP port free on 127.0.0.1 right now (for a child told which port to listen on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
