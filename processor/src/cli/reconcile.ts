import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from '../config/load-config';
import { buildDeps } from '../deps';
import { createLogger } from '../logger';
import { parseSince, reconcile } from '../sync/reconcile';

/**
 * `npm run reconcile -- --since 24h [--dry-run] [--json]`: brings every commercetools payment of
 * the window back in line with Stripe. Exits 1 when something could not be fixed or a
 * PaymentIntent names a commercetools payment that does not exist, 2 on bad usage.
 */
async function main(argv: string[]): Promise<number> {
  loadDotenv({ quiet: true });
  let since = '24h';
  let dryRun = false;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--since') since = argv[++i] ?? '';
    else if (arg === '--dry-run') dryRun = true;
    else if (arg === '--json') json = true;
    else {
      process.stderr.write(`unknown argument: ${arg}\nusage: reconcile [--since 24h] [--dry-run] [--json]\n`);
      return 2;
    }
  }
  let sinceDate: Date;
  try {
    sinceDate = parseSince(since);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 2;
  }
  const config = loadConfig(process.env);
  const deps = buildDeps(
    config,
    createLogger(process.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn', process.stderr as never),
  );
  const report = await reconcile(deps.payments, sinceDate, { dryRun });
  if (json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(`Reconcile since ${report.since}${dryRun ? ' (dry run: nothing changed)' : ''}\n`);
    for (const item of report.items.filter((i) => i.result !== 'in-sync')) {
      process.stdout.write(
        `  ${item.result.padEnd(15)} ${item.paymentIntentId} → ${item.paymentId ?? '?'} ${item.drift.join(', ')}${item.error ? ` (${item.error})` : ''}\n`,
      );
    }
    process.stdout.write(
      `checked ${report.checked}, in sync ${report.inSync}, ${dryRun ? 'would fix' : 'fixed'} ${report.fixed}, failed ${report.failed}, ignored ${report.ignored}, payment missing ${report.missing}\n`,
    );
  }
  return report.failed > 0 || report.missing > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `reconcile failed: ${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
