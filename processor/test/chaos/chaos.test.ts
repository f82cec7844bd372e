import { printChaos, runChaos } from './chaos';

// The CI-sized chaos run (the full one: npm run chaos -- --checkouts 500).
it('chaos: concurrent checkouts under faults keep every money invariant', async () => {
  const report = await runChaos({ checkouts: 16, seed: Number(process.env.CHAOS_SEED ?? 20261123), concurrency: 4 });
  process.stdout.write(printChaos(report));
  expect(Object.keys(report.faults).length).toBeGreaterThan(0);
  expect(report.violations).toEqual([]);
}, 240_000);
