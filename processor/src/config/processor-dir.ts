import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * processor/: the nearest folder above this code that holds a package.json. The code runs from
 * src/ (tests, `npm run dev`, the root's commands), from the bundles dist/main.js and
 * dist/cli/*.js (Connect, `npm start`) and from /app/dist in the image, at different depths.
 */
export const PROCESSOR_DIR: string = (() => {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
  }
})();
