import { config as loadDotenv } from 'dotenv';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PROCESSOR_DIR } from './processor-dir';

/**
 * processor/.env, found from the code rather than the working directory: the commands run from
 * the repository root (`npm run connector:post-deploy`), from processor/ (Connect) and from
 * processor/dist, and must read the same file.
 */
export const PROCESSOR_ENV_FILE = path.join(PROCESSOR_DIR, '.env');

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
