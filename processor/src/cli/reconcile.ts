import { commandLogLevel } from '../config/environment';
import { buildCommandDeps } from '../deps';
import { createLogger } from '../logger';
import { parseSince, reconcile, type ReconcileCounts } from '../sync/reconcile';
import { stripeOrigin } from '../upstream/failure';
import { parseArgs, runCommand, UsageError, wholeNumber, type CommandOutput } from './command';

const USAGE =
  'usage: reconcile [--since 24h] [--dry-run] [--json] [--progress <every n payments, 0: at the end>] [--timeout <seconds>] [--dotenv <path>|none]';

const tally = (c: ReconcileCounts, dryRun: boolean) =>
  `in sync ${c.inSync}, ${dryRun ? 'would fix' : 'fixed'} ${c.fixed}, failed ${c.failed}, ${c.ignored ? `ignored ${c.ignored}, ` : ''}payment missing ${c.missing}`;

/**
 * `npm run reconcile -- --since 24h [--dry-run] [--json]`: brings every commercetools payment of
 * the window back in line with Stripe, saying how far it got every `--progress` payments (50).
 * Exits 1 when something could not be fixed, a PaymentIntent names a commercetools payment that
 * does not exist, or an upstream did not answer; 2 on bad usage.
 */
async function main(argv: string[], out: CommandOutput): Promise<number> {
  const args = parseArgs(argv, {
    flags: ['--dry-run', '--json'],
    values: ['--since', '--progress', '--timeout', '--dotenv'],
  });
  const dryRun = args.flags.has('--dry-run');
  const every = wholeNumber('--progress', args.values.get('--progress'), 0, 1_000_000) ?? 50;
  let since: Date;
  try {
    since = parseSince(args.values.get('--since') ?? '24h');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const config = out.configure(
    args.values.get('--dotenv'),
    wholeNumber('--timeout', args.values.get('--timeout'), 1, 600),
  );
  out.say(
    `Reconcile since ${since.toISOString()}${dryRun ? ' (dry run: nothing changed)' : ''}: listing the PaymentIntents of project ${config.commercetools.projectKey} in Stripe (${stripeOrigin(config)})`,
  );
  out.sayTargets();
  const logger = createLogger(commandLogLevel(), process.stderr);
  const deps = buildCommandDeps(config, logger);
  let total = 0;
  const report = await reconcile(deps.payments, since, {
    dryRun,
    events: {
      listing: (seen, matching) => out.say(`  listed ${seen} PaymentIntents so far, ${matching} of this project`),
      listed: (count) => out.say(`  ${(total = count)} PaymentIntents to check`),
      checked: (item, counts) => {
        if (item.result !== 'in-sync')
          out.say(
            [
              `  ${item.result.padEnd(15)} ${item.paymentIntentId} → ${item.paymentId ?? '?'}`,
              item.drift.join(', '),
              item.error ? `(${item.error})` : '',
            ]
              .filter(Boolean)
              .join(' '),
          );
        if ((every > 0 && counts.checked % every === 0) || counts.checked === total)
          out.say(`  checked ${counts.checked} of ${total}: ${tally(counts, dryRun)}`);
      },
    },
  });
  if (report.stopped)
    out.say(
      `stopped: ${report.stopped}; ${report.notChecked} of ${total} not checked. Run reconcile again once it answers.`,
    );
  out.say(
    `checked ${report.checked}, in sync ${report.inSync}, ${dryRun ? 'would fix' : 'fixed'} ${report.fixed}, failed ${report.failed}, ignored ${report.ignored}, payment missing ${report.missing}`,
  );
  if (out.json) out.result(report);
  return report.failed > 0 || report.missing > 0 || report.stopped ? 1 : 0;
}

const argv = process.argv.slice(2);
runCommand(argv, USAGE, (out) => main(argv, out));
