import { runChaos } from './chaos';
import { FAULT_CLASSES } from './faults';
import { printChaos } from './report';

// The CI-sized chaos run: 2 replicas, every fault class at least once (plans are forced to have
// each). The full one: npm run chaos -- --replicas 3 --checkouts 1000.
it('chaos: replicas under faults keep every money invariant', async () => {
  const report = await runChaos({
    replicas: 2,
    checkouts: 36,
    seed: Number(process.env.CHAOS_SEED ?? 20261130),
    concurrency: 6,
    repay: 4,
  });
  process.stdout.write(printChaos(report, 20));
  expect(report.errors).toEqual([]);
  expect(report.missingClasses.map((k) => FAULT_CLASSES[k])).toEqual([]);
  expect(report.violations).toEqual([]);
}, 180_000);
