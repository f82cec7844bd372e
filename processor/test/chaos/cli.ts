import { printChaos, runChaos } from './chaos';

/** `npm run chaos -- --checkouts N --seed S [--concurrency C]`; exits 1 on any violation. */
async function main(argv: string[]): Promise<number> {
  const value = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const n = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number`);
    return n;
  };
  const report = await runChaos({
    checkouts: value('checkouts', 50),
    seed: value('seed', Date.now() % 1_000_000),
    concurrency: value('concurrency', 4),
  });
  process.stdout.write(printChaos(report));
  return report.violations.length === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`chaos failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
