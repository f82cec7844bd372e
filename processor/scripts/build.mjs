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
 * Identifiers are kept (function names in stack traces); whitespace and comments go, lines are cut
 * at about 160 characters. Stack traces name positions in the bundle;
 * `NODE_OPTIONS=--enable-source-maps` maps them to the TypeScript sources, at a cost in start-up
 * time and memory (README, "Deploy on Connect").
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROCESSOR_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Modules that a dependency loads when it is loaded but the processor never has it call; each is
 * left out of the bundle and loaded from node_modules (the production dependencies Connect
 * installs) when first used: a smaller bundle, and about a third of the modules the processor
 * loaded before its bundling never run.
 * - `@commercetools/connect-payments-sdk`: its default logger (winston and its formatting, used
 *   only when no logger is given; the processor gives one) and its own JWT verification
 *   (jsonwebtoken, jwks-rsa; the processor verifies Merchant Center tokens with jose).
 * - `@fastify/swagger`: yaml, for a YAML document (the processor serves JSON).
 * - `fastify`: node's http2, for an HTTP/2 server (the processor serves HTTP/1.1);
 *   light-my-request, for `inject` (tests); its default compilers, for an app given none (the
 *   processor gives its own, see OWN_FILES).
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
  fastify: {
    'node:http2': {},
    'light-my-request': {},
    '@fastify/ajv-compiler': {},
    '@fastify/fast-json-stringify-compiler': {},
  },
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

/** The package directory of a file under node_modules, its name and version; null elsewhere. */
function packageOf(file) {
  const parts = file.split(path.sep);
  const at = parts.lastIndexOf('node_modules');
  if (at < 0 || at + 1 >= parts.length) return null;
  const length = parts[at + 1].startsWith('@') ? 2 : 1;
  const dir = parts.slice(0, at + 1 + length).join(path.sep);
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return null;
  return {
    dir,
    name: parts.slice(at + 1, at + 1 + length).join('/'),
    version: JSON.parse(readFileSync(manifest, 'utf8')).version,
  };
}

/**
 * Of the packages a build's inputs come from, each version found in several directories, mapped
 * to one of them (the shallowest): { dir: canonical dir }.
 */
function canonicalCopies(inputs) {
  const byVersion = new Map();
  for (const input of inputs) {
    const pkg = packageOf(path.resolve(PROCESSOR_DIR, input));
    if (!pkg) continue;
    const key = `${pkg.name}@${pkg.version}`;
    if (!byVersion.has(key)) byVersion.set(key, new Set());
    byVersion.get(key).add(pkg.dir);
  }
  const canonical = new Map();
  for (const dirs of byVersion.values()) {
    const [first, ...others] = [...dirs].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    for (const dir of others) canonical.set(dir, first);
  }
  return canonical;
}

/**
 * esbuild plugin: one copy of each version of a package in a bundle. npm nests a package under
 * its dependents where another version holds the top, which can leave several copies of one
 * version (the root workspace has three of ajv 8, nested under fastify's packages, as eslint holds
 * ajv 6 at the top); each would be bundled, and a bundle's size costs start-up time and memory.
 * `canonical` (from canonicalCopies of a first pass) sends imports of a copy to the chosen one.
 */
export function oneCopyPerVersion(canonical) {
  return {
    name: 'one-copy-per-version',
    setup(b) {
      b.onResolve({ filter: /^(@[^/.][^/]*\/)?[^/.][^/]*(\/.*)?$/ }, async (args) => {
        if (args.pluginData?.canonical || args.path.startsWith('node:') || canonical.size === 0) return undefined;
        const resolved = await b.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          namespace: args.namespace,
          resolveDir: args.resolveDir,
          pluginData: { canonical: true },
        });
        if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return resolved;
        const pkg = packageOf(resolved.path);
        const to = pkg && canonical.get(pkg.dir);
        return to ? { ...resolved, path: path.join(to, path.relative(pkg.dir, resolved.path)) } : resolved;
      });
    },
  };
}

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

/**
 * Modules that src/ loads on first use with require() and that are a file of their own in dist/
 * (beside the bundle that loads them), as { importer: { specifier: entry point name } }:
 * fastify's compilers (ajv, fast-json-stringify), needed from the first request on.
 */
export const OWN_FILES = {
  'src/http/lazy-schemas.ts': { './schema-compilers': 'schema-compilers' },
};

/** esbuild plugin: OWN_FILES, in a build that has their entry points. */
export const ownFiles = {
  name: 'own-files',
  setup(b) {
    const entries = b.initialOptions.entryPoints;
    for (const [importer, modules] of Object.entries(OWN_FILES)) {
      for (const [specifier, entry] of Object.entries(modules)) {
        if (!(entry in entries)) continue;
        const filter = new RegExp(`^${specifier.replace(/[/.]/g, '\\$&')}$`);
        b.onResolve({ filter }, (args) =>
          args.importer === path.join(PROCESSOR_DIR, importer) ? { path: `./${entry}.js`, external: true } : undefined,
        );
      }
    }
  },
};

/**
 * The bundles of `npm run build`, one esbuild build each: the service with the file of its
 * compilers (both in dist/, as OWN_FILES needs), and the operator commands.
 */
export const BUILDS = [
  { main: 'src/main.ts', 'schema-compilers': 'src/http/schema-compilers.ts' },
  { 'cli/reconcile': 'src/cli/reconcile.ts', 'cli/deploy': 'src/cli/deploy.ts' },
];

/** esbuild's options of a build of `entryPoints` (`canonical`: see oneCopyPerVersion). */
export function buildOptions(entryPoints, outdir = 'dist', canonical = new Map()) {
  return {
    absWorkingDir: PROCESSOR_DIR,
    entryPoints,
    outdir,
    tsconfig: 'tsconfig.build.json',
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // Packages' ES module builds where they have them (smaller: esbuild leaves out what is unused).
    mainFields: ['module', 'main'],
    minifyWhitespace: true,
    minifySyntax: true,
    // Short lines: node prints the whole line of an uncaught error's throw, and a stack trace's
    // line and column stay readable.
    lineLimit: 160,
    legalComments: 'external',
    charset: 'ascii',
    sourcemap: 'linked',
    sourcesContent: false,
    plugins: [ownFiles, loadedOnFirstUse, oneCopyPerVersion(canonical)],
    logLevel: 'warning',
  };
}

/** Writes `builds` (default: BUILDS) to `outdir` (default: dist/), emptied first. */
export async function bundle({ builds = BUILDS, outdir = 'dist' } = {}) {
  rmSync(path.resolve(PROCESSOR_DIR, outdir), { recursive: true, force: true });
  for (const entryPoints of builds) {
    // A first pass, not written, finds the packages bundled from several copies.
    const first = await build({ ...buildOptions(entryPoints, outdir), metafile: true, write: false });
    const canonical = canonicalCopies(Object.keys(first.metafile.inputs));
    const result = await build({ ...buildOptions(entryPoints, outdir, canonical), metafile: true });
    checkLatin1(
      Object.keys(result.metafile.outputs)
        .filter((file) => file.endsWith('.js'))
        .map((file) => path.resolve(PROCESSOR_DIR, file)),
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await bundle();
