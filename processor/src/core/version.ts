import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROCESSOR_DIR } from '../config/processor-dir';

/** The processor's version, from processor/package.json (Connect builds and runs from that folder). */
export const VERSION: string = (
  JSON.parse(readFileSync(path.join(PROCESSOR_DIR, 'package.json'), 'utf8')) as { version: string }
).version;
