import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './spawn';

/**
 * An application folder (`processor`, `enabler`) copied alone into an empty directory, as
 * commercetools Connect builds it: the files the repository holds for it (tracked, or new and not
 * ignored), nothing from the root workspace.
 */
export function copyApplication(name: string): { dir: string; remove(): void } {
  const base = mkdtempSync(path.join(os.tmpdir(), `connect-${name}-`));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z', name], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  if (files.length === 0) throw new Error(`no files for ${name}: is this a git checkout?`);
  for (const file of files) {
    const target = path.join(base, file);
    mkdirSync(path.dirname(target), { recursive: true });
    cpSync(path.join(REPO_ROOT, file), target);
  }
  return { dir: path.join(base, name), remove: () => rmSync(base, { recursive: true, force: true }) };
}

/** Runs an npm command in the folder to its end; resolves with its output, rejects on failure. */
export function npm(dir: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd: dir, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`npm ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

/** `npm start` in the folder, kept running until `stop()`; `output()` is everything it wrote. */
export function npmStart(
  dir: string,
  env: Record<string, string>,
): { process: ChildProcess; output(): string; stop(): Promise<void> } {
  const child = spawn('npm', ['start'], {
    cwd: dir,
    env: { ...cleanEnv(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    output: () => output,
    // npm starts the application as its child: the whole process group goes.
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // gone already
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** The environment without what the workspace's own npm run set (it would point npm at the root). */
function cleanEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        !entry[0].startsWith('npm_') &&
        entry[0] !== 'INIT_CWD' &&
        entry[0] !== 'NODE_OPTIONS',
    ),
  );
}

/** Resolves once `check()` is true, polling; rejects after the timeout with `describe()`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, describe: () => string) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(describe());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
