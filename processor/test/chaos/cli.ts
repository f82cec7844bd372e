import { writeFileSync } from 'node:fs';
import { runChaos, type ChaosOptions } from './chaos';
import { printChaos } from './report';

const USAGE =
  'usage: npm run chaos -- [--replicas 3] [--checkouts 50] [--seed S] [--concurrency 6] [--repay 10] [--examples 5] [--dump file.json] [--no-force]';

/**
 * `npm run chaos -- --replicas 3 --checkouts 1000 --seed S [--concurrency C]`; exits 1 on any
 * violation (or when the run itself failed), 2 on bad usage.
 */
async function main(argv: string[]): Promise<number> {
  const known = ['replicas', 'checkouts', 'seed', 'concurrency', 'repay', 'examples', 'dump'];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i]!.replace(/^--/, '');
    if (name === 'no-force') continue;
    if (!argv[i]!.startsWith('--') || !known.includes(name) || argv[i + 1] === undefined) {
      process.stderr.write(`unknown or incomplete argument: ${argv[i]}\n${USAGE}\n`);
      return 2;
    }
    i++;
  }
  const value = (name: string, fallback: number, min = 0) => {
    const i = argv.indexOf(`--${name}`);
    const n = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return n;
  };
  let options: ChaosOptions;
  let examples: number;
  try {
    options = {
      replicas: value('replicas', 3, 1),
      checkouts: value('checkouts', 50, 1),
      seed: value('seed', Date.now() % 1_000_000),
      concurrency: value('concurrency', 6, 1),
      repay: value('repay', 10),
      force: !argv.includes('--no-force'),
    };
    examples = value('examples', 5);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const report = await runChaos(options);
  process.stdout.write(printChaos(report, examples));
  const dump = argv.indexOf('--dump');
  if (dump >= 0) {
    const { ledger, ...rest } = report;
    writeFileSync(
      argv[dump + 1]!,
      JSON.stringify(
        {
          ...rest,
          checkouts: ledger.checkouts,
          customers: ledger.customers,
          offSessionCarts: ledger.txCarts,
          deletions: ledger.deletions,
        },
        null,
        1,
      ),
    );
  }
  return report.violations.length === 0 && report.errors.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
