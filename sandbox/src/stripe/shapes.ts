import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import type * as Compile from './shapes-compile';

/**
 * JSON Schemas of everything the emulator answers and delivers, generated from the `stripe`
 * package's TypeScript types by `npm run schemas:stripe -w sandbox` (sandbox/scripts).
 */
export const SCHEMA_DIR = path.resolve(__dirname, '../../schemas/stripe');
/** The compiled validators, reused by every later process until the schemas or ajv change. */
const CACHE_DIR = path.resolve(__dirname, '../../../node_modules/.cache/stripe-shapes');
const ROOTS_FILE = 'roots.json';

/** Where and how a value differs from what Stripe's types allow. */
export interface Divergence {
  /** The root schema the value was checked against (`PaymentIntent`, `Event`, `Error`...). */
  schema: string;
  /** JSON pointer to the offending field, e.g. `/data/object/shipping/address/line2`. */
  path: string;
  /** The JSON Schema rule that failed: required, additionalProperties, enum, type, const... */
  rule: string;
  message: string;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validator = ((value: unknown) => boolean) & { errors?: AjvError[] | null };

function describe(schema: string, error: AjvError): Divergence {
  const { params } = error;
  const field = params.missingProperty ?? params.additionalProperty;
  const at = typeof field === 'string' ? `${error.instancePath}/${field}` : error.instancePath;
  let message = error.message ?? error.keyword;
  if (error.keyword === 'required') message = 'is required but absent';
  if (error.keyword === 'additionalProperties') message = "is no field of this object in the stripe package's types";
  if (Array.isArray(params.allowedValues)) {
    const values = params.allowedValues.slice(0, 12).map((v) => JSON.stringify(v));
    message += `: ${values.join(', ')}${params.allowedValues.length > 12 ? ', ...' : ''}`;
  }
  if (params.allowedValue !== undefined) message += `: ${JSON.stringify(params.allowedValue)}`;
  return { schema, path: at || '/', rule: error.keyword, message };
}

/** Writes a cache file aside and renames it: processes starting together never read half a file. */
function store(file: string, data: string | Buffer): void {
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, data);
    renameSync(partial, file);
  } catch {
    // A read-only checkout: compile again next time.
  }
}

/** Validators compiled from earlier schemas are of no further use. */
function forgetOthers(keep: string): void {
  if (!existsSync(CACHE_DIR)) return;
  for (const file of readdirSync(CACHE_DIR)) {
    if (!file.startsWith(keep)) rmSync(path.join(CACHE_DIR, file), { force: true });
  }
}

const readIfAny = (file: string) => (existsSync(file) ? readFileSync(file) : undefined);

/**
 * The compiled validators: their generated source and V8's code cache of it are kept in
 * node_modules/.cache, keyed by everything the code depends on (ajv, how it compiles, the
 * schemas), so that a process loads them in milliseconds and never loads ajv itself.
 */
function compiledValidators(documents: string[], roots: string[]): Record<string, Validator> {
  const ajvVersion = (JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string })
    .version;
  const hash = createHash('sha256')
    .update(`ajv ${ajvVersion}\0`)
    .update(readFileSync(require.resolve('./shapes-compile')));
  for (const document of documents) hash.update(document).update('\0');
  const base = path.join(CACHE_DIR, hash.digest('hex').slice(0, 24));
  let source = readIfAny(`${base}.js`)?.toString('utf8');
  if (source === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { compileShapeValidators } = require('./shapes-compile') as typeof Compile;
    source = compileShapeValidators(
      documents.map((text) => JSON.parse(text) as object),
      roots,
    );
    forgetOthers(path.basename(base));
    store(`${base}.js`, source);
  }
  const cachedData = readIfAny(`${base}.v8`);
  const script = new Script(`(function (require, module, exports) {${source}\n})`, {
    filename: `${base}.js`,
    ...(cachedData ? { cachedData } : {}),
  });
  const module = { exports: {} as Record<string, Validator> };
  // The generated module requires ajv's runtime helpers: resolved from here, where ajv is installed.
  (script.runInThisContext() as (r: NodeJS.Require, m: typeof module, e: object) => void)(
    require,
    module,
    module.exports,
  );
  if (!cachedData || script.cachedDataRejected) store(`${base}.v8`, script.createCachedData());
  return module.exports;
}

let loaded: ShapeValidators | undefined;

/** One compiled validator per root schema (`PaymentIntent`, `ChargeList`, `Event`, `Error`...). */
export class ShapeValidators {
  private constructor(private readonly validators: Record<string, Validator>) {}

  /** The validators of the committed schemas, compiled once per process. */
  static load(): ShapeValidators {
    if (loaded) return loaded;
    const files = readdirSync(SCHEMA_DIR)
      .filter((file) => file.endsWith('.json'))
      .sort();
    if (!files.includes(ROOTS_FILE)) throw new Error(`No Stripe schemas in ${SCHEMA_DIR}: run npm run schemas:stripe`);
    const documents = files.map((file) => readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
    const roots = Object.keys(
      (JSON.parse(documents[files.indexOf(ROOTS_FILE)]!) as { $defs: Record<string, unknown> }).$defs,
    );
    loaded = new ShapeValidators(compiledValidators(documents, roots));
    return loaded;
  }

  roots(): string[] {
    return Object.keys(this.validators);
  }

  /** The first way `value` differs from the root schema `root`, or nothing when it conforms. */
  check(root: string, value: unknown): Divergence | undefined {
    const validate = this.validators[root];
    if (!validate) return { schema: root, path: '/', rule: 'schema', message: `no schema named ${root}` };
    if (validate(value)) return undefined;
    const error = validate.errors?.[0];
    return error ? describe(root, error) : { schema: root, path: '/', rule: 'schema', message: 'does not conform' };
  }
}
