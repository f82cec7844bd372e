import { config as loadDotenv } from 'dotenv';
import { loadConfig, type Config } from './load-config';

/*
 * The one reader of `process.env`: everything else receives the typed configuration (lint
 * refuses `process.env` outside config/).
 */

/** The processor's configuration at start: `.env` of the working directory under the environment. */
export function serverConfig(): Config {
  loadDotenv({ quiet: true });
  return loadConfig(process.env);
}

/** An operator command's configuration: the environment (with the `.env` it loaded), then `overrides`. */
export function commandConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...process.env, ...overrides });
}

/** Set by a parent that spawns the processor (tests, `npm start`): exit when its stdin closes. */
export const exitsWithParent = (): boolean => process.env.PROCESSOR_EXIT_WITH_PARENT === 'true';

/** The operator commands log client detail only with LOG_LEVEL=debug; otherwise warnings. */
export const commandLogLevel = (): 'debug' | 'warn' => (process.env.LOG_LEVEL === 'debug' ? 'debug' : 'warn');
