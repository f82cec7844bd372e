import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type Schema = { [keyword: string]: unknown };

/** Where the generated schemas are committed (the emulator reads them from there). */
export const SCHEMA_DIR = path.resolve(__dirname, '../../schemas/stripe');
export const ROOTS_SCHEMA = 'roots.json';
const SANDBOX_DIR = path.resolve(__dirname, '../..');

/** The stripe package's types the schemas describe: `node_modules/stripe/cjs`. */
export function stripeTypesDir(): string {
  return path.dirname(require.resolve('stripe', { paths: [__dirname] }));
}

function dtsFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => path.join(dir, file));
}

/**
 * Every file the generated schemas depend on: the stripe package's types and version, the
 * TypeScript (and Node.js types) that read them, and the generator itself.
 */
function inputFiles(): string[] {
  const stripe = stripeTypesDir();
  const packageOf = (name: string) => require.resolve(`${name}/package.json`, { paths: [__dirname] });
  return [
    ...dtsFiles(stripe),
    path.join(stripe, '..', 'package.json'),
    packageOf('typescript'),
    packageOf('@types/node'),
    ...readdirSync(__dirname).map((file) => path.join(__dirname, file)),
    path.join(__dirname, '..', 'stripe-schemas.ts'),
  ];
}

/**
 * A digest of every input of the generation. The generator records it in roots.json, so that a
 * test can tell in milliseconds that the schemas are stale (an upgraded stripe package, a changed
 * generator) without generating them again. `read` lets a test change an input.
 */
export function inputsFingerprint(read: (file: string) => Buffer = (file) => readFileSync(file)): string {
  const hash = createHash('sha256');
  const named = inputFiles().map((file) => [path.relative(path.join(SANDBOX_DIR, '..'), file), file] as const);
  for (const [name, file] of named.sort(([a], [b]) => a.localeCompare(b))) {
    hash.update(name.split(path.sep).join('/')).update('\0').update(read(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 20);
}

/** The fingerprint of the inputs the committed schemas were generated from. */
export function recordedFingerprint(): string | undefined {
  const file = path.join(SCHEMA_DIR, ROOTS_SCHEMA);
  if (!existsSync(file)) return undefined;
  const comment = (JSON.parse(readFileSync(file, 'utf8')) as { $comment?: string }).$comment ?? '';
  return /inputs ([0-9a-f]+)/.exec(comment)?.[1];
}

/** A schema file's text, byte for byte as committed. */
const serialize = (document: Schema) => `${JSON.stringify(document, null, 2)}\n`;

/** The committed schemas, by file name. */
export function committedSchemas(): Record<string, Schema> {
  const files = existsSync(SCHEMA_DIR) ? readdirSync(SCHEMA_DIR).filter((file) => file.endsWith('.json')) : [];
  return Object.fromEntries(
    files.sort().map((file) => [file, JSON.parse(readFileSync(path.join(SCHEMA_DIR, file), 'utf8')) as Schema]),
  );
}

/**
 * The committed schema files that differ from `documents` (what the generator makes now):
 * changed, missing or no longer generated. Empty when the committed schemas are up to date.
 */
export function staleStripeSchemas(documents: Record<string, Schema>): string[] {
  const committed = existsSync(SCHEMA_DIR) ? readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json')) : [];
  const stale = committed.filter((file) => !(file in documents)).map((file) => `${file} (no longer generated)`);
  for (const [file, document] of Object.entries(documents)) {
    const target = path.join(SCHEMA_DIR, file);
    if (!existsSync(target)) stale.push(`${file} (missing)`);
    else if (readFileSync(target, 'utf8') !== serialize(document)) stale.push(`${file} (changed)`);
  }
  return stale.sort();
}

/** Replaces the committed schemas with `documents` (stale files are removed). */
export function writeStripeSchemas(documents: Record<string, Schema>): string[] {
  rmSync(SCHEMA_DIR, { recursive: true, force: true });
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const [file, document] of Object.entries(documents))
    writeFileSync(path.join(SCHEMA_DIR, file), serialize(document));
  return Object.keys(documents);
}
