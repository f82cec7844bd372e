import { config as loadDotenv } from 'dotenv';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * processor/.env, found from this file rather than the working directory: the commands run from
 * the repository root (`npm run connector:post-deploy`), from processor/ (Connect) and from
 * processor/dist, and must read the same file. src/config and dist/config are both two levels
 * below processor/.
 */
export const PROCESSOR_ENV_FILE = path.resolve(__dirname, '../../.env');

/**
 * Loads `file` (default processor/.env; `none`: no file) under what the environment already sets,
 * and says what was read, for the command's first line.
 */
export function loadEnvFile(file: string = PROCESSOR_ENV_FILE): string {
  if (file === 'none') return 'the environment only';
  const resolved = path.resolve(file);
  if (!existsSync(resolved)) {
    if (file !== PROCESSOR_ENV_FILE) throw new Error(`--dotenv ${file}: no such file`);
    return `the environment (no ${resolved})`;
  }
  loadDotenv({ path: resolved, quiet: true });
  return `the environment and ${resolved}`;
}
