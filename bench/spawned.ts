import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type Stripe from 'stripe';
import { HANDLED_EVENTS } from '../processor/src/webhooks/events';
import { stripeFor } from '../processor/testing/stripe';
import type { World } from '../processor/testing/world';
import { ROOT, startArgs } from './startup';

/** What the load phases need of a processor. */
export interface BenchProcessor {
  url: string;
  /** Log lines written since the last reset. */
  logs: string[];
  endpoint: Stripe.WebhookEndpoint;
  /** CPU time (user + system) the processor's process used so far, when it runs in its own process. */
  cpuMs?: () => number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Resident memory of a process in MB, from /proc (Linux). */
export function processRssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Math.round(Number(kb ?? 0) / 102.4) / 10;
}

/** utime + stime of a process, from /proc (Linux). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at state (field 3).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/**
 * The built processor in its own process (`npm start`'s command), with a webhook endpoint
 * registered in the emulator as post-deploy does: its CPU time is its own, apart from the load
 * generator's.
 */
export async function startSpawnedProcessor(
  world: World,
  overrides: Record<string, string> = {},
  /** More node options, e.g. `--cpu-prof` to profile a phase. */
  nodeOptions: string[] = [],
): Promise<BenchProcessor & { close(): Promise<void> }> {
  const stripe = stripeFor(world);
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/not-yet',
    enabled_events: [...HANDLED_EVENTS],
    api_version: '2026-10-28.endive',
  });
  const child = spawn(process.execPath, [...nodeOptions, ...startArgs()], {
    cwd: path.join(ROOT, 'processor'),
    env: {
      PATH: process.env.PATH,
      ...world.env,
      STRIPE_WEBHOOK_SIGNING_SECRET: endpoint.secret,
      LOG_LEVEL: 'info',
      ...overrides,
      PORT: '0',
      HOST: '127.0.0.1',
      PROCESSOR_EXIT_WITH_PARENT: 'true',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`processor not ready in 20 s:\n${output}`)), 20000);
    let buffer = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk.slice(0, 10_000);
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const ready = /^PROCESSOR_READY (.*)$/.exec(line);
        if (ready) {
          clearTimeout(timer);
          resolve((JSON.parse(ready[1]!) as { url: string }).url);
        } else {
          logs.push(line);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`processor exited with ${code}:\n${output}`));
    });
  });
  await stripe.webhookEndpoints.update(endpoint.id, { url: `${url}/stripe/webhooks` });
  const pid = child.pid!;
  return {
    url,
    logs,
    endpoint,
    cpuMs: () => processCpuMs(pid),
    close: async () => {
      await stripe.webhookEndpoints.del(endpoint.id);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
