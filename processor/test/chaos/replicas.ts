import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LogScan } from './logscan';
import { sleep } from './rng';

export const PROCESSOR_DIR = path.resolve(__dirname, '../..');

export type Flavor = 'auto' | 'manual';

/** What each kind of replica runs with: both kinds serve every route. */
export const FLAVOR_ENV: Record<Flavor, Record<string, string>> = {
  auto: { STRIPE_CAPTURE_METHOD: 'automatic', STRIPE_PAYMENT_METHOD_TYPES: 'card,sepa_debit' },
  manual: { STRIPE_CAPTURE_METHOD: 'manual', STRIPE_ENABLE_MULTICAPTURE: 'true', STRIPE_PAYMENT_METHOD_TYPES: 'card' },
};

/** Replica 0 captures automatically, the others manually with multicapture (so N = 2 has one of each). */
export const flavorOf = (index: number): Flavor => (index % 3 === 0 ? 'auto' : 'manual');

/**
 * One processor replica: its own OS process (`node --import tsx src/main.ts` from processor/, no
 * build needed), ready when it prints `PROCESSOR_READY {json}`. `kill()` is `kill -9`; `restart()`
 * starts it again on the same port.
 */
export class Replica {
  port = 0;
  alive = false;
  incarnation = 0;
  kills = 0;
  startMs: number[] = [];
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    readonly index: number,
    readonly flavor: Flavor,
    private readonly env: Record<string, string | undefined>,
    private readonly scan: LogScan,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get name(): string {
    return `replica ${this.index} (${this.flavor})`;
  }

  async start(): Promise<void> {
    const started = Date.now();
    this.incarnation += 1;
    const source = `${this.name}#${this.incarnation}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: PROCESSOR_DIR,
      env: {
        PATH: process.env.PATH,
        ...this.env,
        ...FLAVOR_ENV[this.flavor],
        LOG_LEVEL: 'debug',
        PORT: String(this.port),
        HOST: '127.0.0.1',
        PROCESSOR_EXIT_WITH_PARENT: 'true',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.once('exit', () => {
      if (this.child === child) this.alive = false;
    });
    child.stderr!.setEncoding('utf8').on('data', this.scan.feeder(`${source} stderr`));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${source} not ready in 60 s:\n${this.scan.tail(source)}`)),
        60_000,
      );
      let buffer = '';
      child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
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
            this.scan.line(source, line);
          }
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${source} exited with ${code} before it was ready:\n${this.scan.tail(source)}\n${this.scan.tail(`${source} stderr`)}`,
          ),
        );
      });
    });
    this.port = Number(new URL(url).port);
    this.alive = true;
    this.startMs.push(Date.now() - started);
  }

  /** `kill -9`: requests in flight get no answer, nothing is flushed or closed. */
  async kill(): Promise<void> {
    if (!this.child || !this.alive) return;
    this.alive = false;
    this.kills += 1;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Starts again on the same port (the port may take a moment to be free). */
  async restart(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.start();
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
        await sleep(300);
      }
    }
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    this.alive = false;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The replicas, with the rule the driver follows to spread calls over them. */
export class Replicas {
  constructor(readonly all: Replica[]) {}

  /** A live replica (of a flavor, when given), chosen by `pick`; waits while none is up. */
  async choose(pick: (n: number) => number, flavor?: Flavor): Promise<Replica> {
    // With one replica there is one flavor: every checkout uses it.
    if (flavor && !this.all.some((r) => r.flavor === flavor)) flavor = undefined;
    for (let waited = 0; waited < 60_000; waited += 100) {
      const live = this.all.filter((r) => r.alive && (!flavor || r.flavor === flavor));
      if (live.length > 0) return live[pick(live.length)]!;
      await sleep(100);
    }
    throw new Error(`no live ${flavor ?? ''} replica for 60 s`);
  }

  /**
   * Two different live replicas when there are (for requests sent to two at once). With
   * `flavor`, both are of it (one deployment's replicas share their configuration): the same one
   * twice when only one of it is up.
   */
  async two(pick: (n: number) => number, flavor?: Flavor): Promise<[Replica, Replica]> {
    const first = await this.choose(pick, flavor);
    const others = this.all.filter((r) => r.alive && r !== first && (!flavor || r.flavor === flavor));
    return [first, others.length > 0 ? others[pick(others.length)]! : first];
  }

  private killing = false;

  /** `kill -9` of one replica (never two down at once), then a restart on its port in the background. */
  killAndRestart(replica: Replica, onRestarted: (error?: Error) => void): boolean {
    if (this.killing || !replica.alive || this.all.filter((r) => r.alive).length < 2) return false;
    this.killing = true;
    void replica
      .kill()
      .then(() => replica.restart())
      .then(
        () => onRestarted(),
        (error: Error) => onRestarted(error),
      )
      .finally(() => (this.killing = false));
    return true;
  }

  /** Waits until no replica is down (after kills). */
  async allUp(timeoutMs = 60_000): Promise<void> {
    for (let waited = 0; waited < timeoutMs; waited += 100) {
      if (!this.killing && this.all.every((r) => r.alive)) return;
      await sleep(100);
    }
    throw new Error('a replica did not come back');
  }
}
