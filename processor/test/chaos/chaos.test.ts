import { runChaos } from './chaos';
import { FAULT_CLASSES } from './faults';
import { printChaos } from './report';

// The CI-sized chaos run: 3 replicas (two of one configuration, so that copies of a charge and
// its retry after a kill reach another replica like it), every fault class at least once (plans
// are forced to have each). The full one: npm run chaos -- --replicas 3 --checkouts 1000.
it('chaos: replicas under faults keep every money invariant', async () => {
  const report = await runChaos({
    replicas: 3,
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
