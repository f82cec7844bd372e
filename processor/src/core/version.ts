import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The processor's version, from processor/package.json: src/core and dist/core are both two levels
 * below processor/, and Connect builds and runs from that folder.
 */
export const VERSION: string = (
  JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }
).version;
