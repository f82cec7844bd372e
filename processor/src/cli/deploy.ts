import { formatItem, type StepEvents } from '../deploy/plan';
import { postDeploy, preUndeploy } from '../deploy/post-deploy';
import { buildCommandDeps } from '../deps';
import { createLogger } from '../logger';
import { parseArgs, runCommand, UsageError, wholeNumber, type CommandOutput } from './command';

const USAGE =
  'usage: deploy post-deploy|pre-undeploy [--dry-run] [--json] [--timeout <seconds>] [--dotenv <path>|none]';

/**
 * `npm run connector:post-deploy` / `connector:pre-undeploy` (Connect runs them; also by hand):
 * `--dry-run` shows the plan and changes nothing, `--json` prints the report as JSON. Each step
 * is printed as it starts and ends. Exits 1 on any failure, 2 on bad usage.
 */
async function main(argv: string[], out: CommandOutput): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'post-deploy' && command !== 'pre-undeploy') throw new UsageError('post-deploy or pre-undeploy?');
  const args = parseArgs(rest, { flags: ['--dry-run', '--json'], values: ['--timeout', '--dotenv'] });
  const dryRun = args.flags.has('--dry-run');
  const config = out.configure(
    args.values.get('--dotenv'),
    wholeNumber('--timeout', args.values.get('--timeout'), 1, 600),
  );
  out.say(`${command}${dryRun ? ' (dry run: nothing changed)' : ''}`);
  out.sayTargets();
  const deps = buildCommandDeps(config, createLogger('warn', process.stderr));
  const target = {
    config,
    sdk: { ctAPI: deps.ctAPI },
    stripe: deps.stripe,
    ...(config.stripe.webhookId ? { webhookId: config.stripe.webhookId } : {}),
  };
  const events: StepEvents = {
    start: (item) => out.say(`  ${'checking'.padEnd(9)} ${item}`),
    done: (item) => out.say(formatItem(item)),
  };
  const run = command === 'post-deploy' ? postDeploy : preUndeploy;
  const report = await run(target, { dryRun, events });
  out.say(report.ok ? 'done' : 'FAILED');
  if (out.json) out.result(report);
  return report.ok ? 0 : 1;
}

const argv = process.argv.slice(2);
runCommand(argv, USAGE, (out) => main(argv, out));
