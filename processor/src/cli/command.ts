import { commandConfig } from '../config/environment';
import { ConfigError, type Config } from '../config/load-config';
import { loadEnvFile } from '../config/env-file';
import { stripeOrigin, upstreamFailureOf } from '../upstream/failure';

export class UsageError extends Error {}

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string>;
}

/** `--flag` and `--option value` only; anything else is a usage error. */
export function parseArgs(argv: readonly string[], spec: { flags: string[]; values: string[] }): ParsedArgs {
  const parsed: ParsedArgs = { flags: new Set(), values: new Map() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (spec.flags.includes(arg)) parsed.flags.add(arg);
    else if (spec.values.includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      parsed.values.set(arg, value);
    } else throw new UsageError(`unknown argument: ${arg}`);
  }
  return parsed;
}

/** The whole number given to `--timeout` or `--progress`, within bounds. */
export function wholeNumber(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max)
    throw new UsageError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  return value;
}

/**
 * What a command prints. A person reads lines on stdout as they happen; with `--json`, stdout
 * carries one JSON document (the report, or `{"error": {...}}`) and the lines go to stderr.
 */
export class CommandOutput {
  config?: Config;
  private source?: string;

  constructor(readonly json: boolean) {}

  say(line: string): void {
    (this.json ? process.stderr : process.stdout).write(`${line}\n`);
  }

  result(value: unknown): void {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Reports a failure that ended the command (usage 2, anything else 1); never a secret value. */
  fail(error: unknown, usage: string): number {
    const failure = this.config ? upstreamFailureOf(error, this.config) : undefined;
    const body =
      error instanceof UsageError
        ? { kind: 'usage', message: error.message, usage }
        : error instanceof ConfigError
          ? { kind: 'config', message: error.message, problems: error.problems }
          : failure
            ? failure.toJSON()
            : { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    if (this.json) this.result({ error: body });
    else {
      const hint =
        error instanceof UsageError
          ? usage
          : error instanceof ConfigError
            ? `configuration read from ${this.source}`
            : '';
      process.stderr.write(`${body.message}${hint ? `\n${hint}` : ''}\n`);
    }
    return error instanceof UsageError ? 2 : 1;
  }

  /** Loads the configuration: the environment over processor/.env (or `--dotenv`), `--timeout` over both. */
  configure(envFile: string | undefined, timeoutSeconds: number | undefined): Config {
    this.source = loadEnvFile(envFile);
    this.config = commandConfig(timeoutSeconds ? { UPSTREAM_TIMEOUT_SECONDS: String(timeoutSeconds) } : {});
    return this.config;
  }

  /** Said before the first request: where the configuration came from, whom it asks, how long it waits. */
  sayTargets(): void {
    const config = this.config!;
    const ct = config.commercetools;
    this.say(`  configuration: ${this.source}`);
    this.say(
      `  commercetools ${new URL(ct.apiUrl).origin} (project ${ct.projectKey}), Stripe ${stripeOrigin(config)}; each request gives up after ${config.commands.upstreamTimeoutMs / 1000} s`,
    );
  }
}

/** Runs a command's `main` and exits with its code; `--json` is honoured for failures too. */
export function runCommand(argv: string[], usage: string, main: (out: CommandOutput) => Promise<number>): void {
  const out = new CommandOutput(argv.includes('--json'));
  main(out)
    .catch((error: unknown) => out.fail(error, usage))
    .then((code) => process.exit(code));
}
