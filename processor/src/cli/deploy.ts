import { config as loadDotenv } from 'dotenv';
import { ConfigError, loadConfig } from '../config/load-config';
import { postDeploy, preUndeploy } from '../deploy/post-deploy';
import { printReport } from '../deploy/plan';
import { buildDeps } from '../deps';
import { createLogger } from '../logger';

/**
 * `npm run connector:post-deploy` / `connector:pre-undeploy` (Connect runs them; also by hand):
 * `--dry-run` shows the plan and changes nothing, `--json` prints the report as JSON. Exits 1
 * on any failure, 2 on bad usage.
 */
async function main(argv: string[]): Promise<number> {
  loadDotenv({ quiet: true });
  const [command, ...flags] = argv;
  if (command !== 'post-deploy' && command !== 'pre-undeploy') {
    process.stderr.write('usage: deploy post-deploy|pre-undeploy [--dry-run] [--json]\n');
    return 2;
  }
  const unknown = flags.filter((f) => f !== '--dry-run' && f !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`unknown argument: ${unknown.join(' ')}\nusage: deploy ${command} [--dry-run] [--json]\n`);
    return 2;
  }
  const dryRun = flags.includes('--dry-run');
  const config = loadConfig(process.env);
  const deps = buildDeps(config, createLogger('warn', process.stderr as never));
  const target = {
    config,
    sdk: deps.sdk,
    stripe: deps.stripe,
    ...(process.env.STRIPE_WEBHOOK_ID ? { webhookId: process.env.STRIPE_WEBHOOK_ID } : {}),
  };
  const report =
    command === 'post-deploy' ? await postDeploy(target, { dryRun }) : await preUndeploy(target, { dryRun });
  process.stdout.write(
    flags.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : printReport(report, command),
  );
  return report.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigError ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`}\n`,
    );
    process.exit(1);
  },
);
