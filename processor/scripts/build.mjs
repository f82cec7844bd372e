/**
 * The production build (`npm run build`, which commercetools Connect runs in processor/ alone):
 * each entry point bundled with its dependencies into one file by esbuild, with a source map
 * beside it. Node then reads one file instead of finding and reading ~1,700 modules one by one,
 * which was most of the processor's start-up. Type checking is not done here: `npm run typecheck`
 * (tsc) does it.
 *
 *   dist/main.js           the service (`npm start`)
 *   dist/cli/reconcile.js  `npm run reconcile`
 *   dist/cli/deploy.js     `npm run connector:post-deploy` / `connector:pre-undeploy`
 *
 * Identifiers are kept (function names in stack traces); whitespace and comments go. Stack
 * traces name positions in the bundle; `NODE_OPTIONS=--enable-source-maps` maps them to the
 * TypeScript sources, at a cost in start-up time and memory (README, "Deploy on Connect").
 */
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROCESSOR_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Modules that a dependency loads when it is loaded but the processor never has it call; each is
 * left out of the bundle and loaded from node_modules (the production dependencies Connect
 * installs) when first used: a smaller bundle, a fifth fewer modules run at start-up.
 * - `@commercetools/connect-payments-sdk`: its default logger (winston and its formatting, used
 *   only when no logger is given; the processor gives one) and its own JWT verification
 *   (jsonwebtoken, jwks-rsa; the processor verifies Merchant Center tokens with jose).
 * - `@fastify/swagger`: yaml, for a YAML document (the processor serves JSON).
 * `callResult`: the dependency calls the export while it is set up, so the call's result is lazy
 * too.
 */
export const LOADED_ON_FIRST_USE = {
  '@commercetools/connect-payments-sdk': {
    '@commercetools-backend/loggers': {},
    logform: {},
    'lodash/cloneDeep': {},
    'lodash/set': {},
    jsonwebtoken: {},
    'jwks-rsa': { callResult: true },
  },
  '@fastify/swagger': { yaml: {} },
};

/**
 * The module that stands for `name` as `owner` requires it, until something uses it. Node
 * resolves it from `owner` then, as it would for `owner` itself; `esModule` is the real module's
 * `__esModule` (asked before anything is used, by TypeScript's import helpers).
 */
function onFirstUse(owner, name, { esModule, callResult }) {
  const load = `const { createRequire } = require('node:module');
let real;
const load = () => (real ??= createRequire(createRequire(__filename).resolve(${JSON.stringify(owner)}))(${JSON.stringify(name)}));`;
  if (callResult) {
    return `${load}
module.exports = function (...args) {
  let made;
  const target = () => (made ??= load()(...args));
  return new Proxy({}, {
    get: (_, key) => {
      const value = target()[key];
      return typeof value === 'function' ? value.bind(target()) : value;
    },
    has: (_, key) => key in target(),
  });
};`;
  }
  return `${load}
module.exports = new Proxy(function () {}, {
  get: (_, key) => (key === '__esModule' ? ${esModule} : load()[key]),
  has: (_, key) => key in load(),
  apply: (_, self, args) => Reflect.apply(load(), self, args),
  construct: (_, args) => Reflect.construct(load(), args),
});`;
}

const packageDir = (name) => `${path.sep}node_modules${path.sep}${name.split('/').join(path.sep)}${path.sep}`;

/** esbuild plugin: LOADED_ON_FIRST_USE, for the imports of each owner only. */
export const loadedOnFirstUse = {
  name: 'loaded-on-first-use',
  setup(b) {
    for (const [owner, modules] of Object.entries(LOADED_ON_FIRST_USE)) {
      const names = Object.keys(modules);
      const filter = new RegExp(`^(${names.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
      b.onResolve({ filter }, (args) => {
        if (args.namespace !== 'file' || !args.importer.includes(packageDir(owner))) return undefined;
        // What the owner's require() gets without a bundler (node's resolution).
        const real = createRequire(args.importer)(args.path);
        return {
          path: `${owner}>${args.path}`,
          namespace: 'first-use',
          pluginData: { owner, name: args.path, esModule: Boolean(real.__esModule), ...modules[args.path] },
        };
      });
    }
    b.onLoad({ filter: /.*/, namespace: 'first-use' }, ({ pluginData: data }) => ({
      contents: onFirstUse(data.owner, data.name, data),
      loader: 'js',
    }));
  },
};

/**
 * A bundle's source is kept in memory while it runs, as one byte per character only when every
 * character is Latin-1; one other character (say, in a comment) doubles it.
 */
function checkLatin1(files) {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const at = text.search(/[\u0100-\uffff]/);
    if (at >= 0) throw new Error(`${file}: a character beyond Latin-1 at ${at}: ${text.slice(at - 40, at + 40)}`);
  }
}

/** esbuild's options of the build (also for tests, with other entry points and outdir). */
export function buildOptions(overrides = {}) {
  return {
    absWorkingDir: PROCESSOR_DIR,
    entryPoints: { main: 'src/main.ts', 'cli/reconcile': 'src/cli/reconcile.ts', 'cli/deploy': 'src/cli/deploy.ts' },
    outdir: 'dist',
    tsconfig: 'tsconfig.build.json',
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // Packages' ES module builds where they have them (smaller: esbuild leaves out what is unused).
    mainFields: ['module', 'main'],
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'external',
    charset: 'ascii',
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [loadedOnFirstUse],
    logLevel: 'warning',
    ...overrides,
  };
}

export async function bundle(overrides = {}) {
  const options = buildOptions(overrides);
  rmSync(path.resolve(PROCESSOR_DIR, options.outdir), { recursive: true, force: true });
  const result = await build({ ...options, metafile: true });
  checkLatin1(
    Object.keys(result.metafile.outputs)
      .filter((file) => file.endsWith('.js'))
      .map((file) => path.resolve(PROCESSOR_DIR, file)),
  );
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundle();
