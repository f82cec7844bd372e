import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const ROOT = path.resolve(__dirname, '..');

export interface StartupResult {
  runs: number;
  /** Median time from spawn to the PROCESSOR_READY line. */
  startMs: number;
  allStartMs: number[];
  /** VmRSS after 2 s idle, median. */
  idleRssMb: number;
}

export interface BundleResult {
  file: string | null;
  bytes: number | null;
  gzipBytes: number | null;
}

/**
 * The node arguments of the processor's `npm start` (processor/package.json), so that the bench
 * runs the processor exactly as commercetools Connect does.
 */
export function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'processor/package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.trim().split(/\s+/);
  if (words[0] !== 'node') throw new Error(`processor start script does not run node: ${pkg.scripts.start}`);
  return words.slice(1).map((word) => (word.endsWith('.js') ? path.join(ROOT, 'processor', word) : word));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function buildWorkspace(name: 'processor' | 'enabler'): void {
  execFileSync('npm', ['run', 'build', '-w', name], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Math.round((Number(kb) / 1024) * 10) / 10;
}

/** The processor's `npm start` command as Connect runs it, from an empty directory (no .env file). */
async function startOnce(env: Record<string, string | undefined>, cwd: string): Promise<{ ms: number; rss: number }> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, startArgs(), {
    cwd,
    env: { PATH: process.env.PATH, ...env, PORT: '0', HOST: '127.0.0.1', PROCESSOR_EXIT_WITH_PARENT: 'true' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`processor not ready in 20 s:\n${output}`)), 20000);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (/^PROCESSOR_READY /m.test(output)) {
          clearTimeout(timer);
          resolve(Number(process.hrtime.bigint() - started) / 1e6);
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`processor exited with ${code} before it was ready:\n${output}`));
      });
    });
    await sleep(2000);
    return { ms: Math.round(ms), rss: rssMb(child.pid!) };
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function measureStartup(env: Record<string, string | undefined>, runs = 3): Promise<StartupResult> {
  const cwd = mkdtempSync(path.join(tmpdir(), 'bench-processor-'));
  try {
    const all: { ms: number; rss: number }[] = [];
    for (let i = 0; i < runs; i++) all.push(await startOnce(env, cwd));
    return {
      runs,
      startMs: median(all.map((r) => r.ms)),
      allStartMs: all.map((r) => r.ms),
      idleRssMb: median(all.map((r) => r.rss)),
    };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

export function enablerBundle(): BundleResult {
  const dist = path.join(ROOT, 'enabler/public');
  const file = existsSync(dist) ? readdirSync(dist).find((f) => f.endsWith('.umd.js')) : undefined;
  if (!file) return { file: null, bytes: null, gzipBytes: null };
  const content = readFileSync(path.join(dist, file));
  return {
    file: `enabler/public/${file}`,
    bytes: statSync(path.join(dist, file)).size,
    gzipBytes: gzipSync(content, { level: 9 }).length,
  };
}
