/**
 * Generates `src/stripe/params/schema.json`: for every params interface the emulator's routes
 * name (src/stripe/params/endpoints.ts), every parameter path Stripe accepts and its kind, read
 * from the `stripe` package's type declarations with the TypeScript compiler. The types are the
 * reference for what the pinned API version accepts: hand lists would drift from them.
 *
 *   npm run stripe:params               writes the file
 *   npm run stripe:params -- --check    fails when it is stale (a test runs it: upgrading the
 *                                       `stripe` package forces a regeneration)
 *
 * Paths use the wire's bracket notation: `shipping[address][city]`, `[]` for the items of an
 * array, `[*]` for the free keys of a map (metadata). A kind is `|`-joined alternatives among
 * `string`, `number`, `boolean`, `hash`, `map`, `array` and `enum(a,b)`, then ` required` when
 * its hash requires it and ` emptyable` when `''` unsets it (`Stripe.Emptyable`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Stripe from 'stripe';
import ts from 'typescript';
import { ENDPOINTS } from '../src/stripe/params/endpoints';
import type { Schema } from '../src/stripe/params/schema';

export const SCHEMA_FILE = path.join(__dirname, '../src/stripe/params/schema.json');
const ENTRY = path.join(__dirname, '__stripe_params_entry__.ts');
/** Deeper than any Stripe parameter; a guard against a recursive type. */
const MAX_DEPTH = 12;

function program(names: string[]): { checker: ts.TypeChecker; entry: ts.SourceFile } {
  const source = [
    `import type Stripe from 'stripe';`,
    ...names.map((name) => `export type T_${name} = Stripe.${name};`),
  ].join('\n');
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  const exists = host.fileExists.bind(host);
  // The entry file exists only in memory: it names each interface so the checker resolves it.
  host.getSourceFile = (file, language, ...rest) =>
    path.resolve(file) === ENTRY ? ts.createSourceFile(file, source, language) : read(file, language, ...rest);
  host.fileExists = (file) => path.resolve(file) === ENTRY || exists(file);
  const built = ts.createProgram([ENTRY], options, host);
  return { checker: built.getTypeChecker(), entry: built.getSourceFile(ENTRY)! };
}

function flatten(checker: ts.TypeChecker, at: ts.Node, root: ts.Type): Record<string, string> {
  const out: Record<string, string> = {};

  /** Records the kind of `name` and walks into what it contains. */
  function visit(name: string, type: ts.Type, flags: string[], depth: number): void {
    if (depth > MAX_DEPTH) throw new Error(`${name}: nested deeper than ${MAX_DEPTH}`);
    const parts = type.isUnion() ? type.types : [type];
    const kinds = new Set<string>();
    const values: string[] = [];
    let emptyable = false;
    let open = false;
    const hashes: ts.Type[] = [];
    for (const part of parts) {
      if (part.isStringLiteral()) {
        if (part.value === '') emptyable = true;
        else values.push(part.value);
      } else if (part.flags & ts.TypeFlags.Null) emptyable = true;
      else if (part.flags & (ts.TypeFlags.BooleanLiteral | ts.TypeFlags.Boolean)) kinds.add('boolean');
      else if (part.flags & ts.TypeFlags.Undefined) continue;
      // `OtherString` (string & Record<never, never>) keeps SDK enums open for values added
      // later; the API itself refuses what the pinned version does not list.
      else if (part.isIntersection()) open = true;
      else if (part.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLike)) kinds.add('string');
      else if (part.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) kinds.add('number');
      else if (checker.isArrayType(part)) {
        kinds.add('array');
        const item = checker.getTypeArguments(part as ts.TypeReference)[0]!;
        visit(`${name}[]`, item, [], depth + 1);
      } else if (part.getStringIndexType()) {
        kinds.add('map');
        visit(`${name}[*]`, part.getStringIndexType()!, [], depth + 1);
      } else if (part.flags & ts.TypeFlags.Object) {
        kinds.add('hash');
        hashes.push(part);
      } else throw new Error(`${name}: unsupported type ${checker.typeToString(part)}`);
    }
    // Alternatives of several hashes (a card by number or by token) accept the fields of each.
    for (const hash of hashes) {
      for (const property of hash.getProperties()) {
        const optional = (property.flags & ts.SymbolFlags.Optional) !== 0 || hashes.length > 1;
        const child = checker.getTypeOfSymbolAtLocation(property, at);
        visit(`${name}[${property.name}]`, child, optional ? [] : ['required'], depth + 1);
      }
    }
    if (open && values.length === 0) kinds.add('string');
    const alternatives = [...kinds].sort();
    // Sorted: the checker's union order follows type ids, which a different program may change.
    if (values.length > 0) alternatives.push(`enum(${values.sort().join(',')})`);
    if (name) out[name] = [alternatives.join('|'), ...flags, ...(emptyable ? ['emptyable'] : [])].join(' ');
  }

  for (const property of root.getProperties()) {
    const optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
    visit(property.name, checker.getTypeOfSymbolAtLocation(property, at), optional ? [] : ['required'], 0);
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function generateSchema(): Schema {
  const names = [...new Set(Object.values(ENDPOINTS).map((endpoint) => endpoint.params))].sort();
  const { checker, entry } = program(names);
  const params: Schema['params'] = {};
  for (const statement of entry.statements) {
    if (!ts.isTypeAliasDeclaration(statement)) continue;
    const name = statement.name.text.slice(2);
    const type = checker.getTypeAtLocation(statement.name);
    if (type.getProperties().length === 0 && !(type.flags & ts.TypeFlags.Object))
      throw new Error(`Stripe.${name} is not a params interface of the stripe package`);
    params[name] = flatten(checker, statement, type);
  }
  return { stripe: Stripe.PACKAGE_VERSION, apiVersion: Stripe.API_VERSION, params };
}

/** As prettier writes JSON: two spaces, one parameter per line, a final newline. */
export const serialize = (schema: Schema): string => `${JSON.stringify(schema, null, 2)}\n`;

if (require.main === module) {
  const text = serialize(generateSchema());
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_FILE, 'utf8') !== text) {
      process.stderr.write(`${SCHEMA_FILE} is stale: run npm run stripe:params\n`);
      process.exit(1);
    }
  } else writeFileSync(SCHEMA_FILE, text);
}
