import path from 'node:path';
import ts from 'typescript';
import type { Schema } from './committed';

/** File that holds the resources the emulator never produces, each checked by its `object` tag only. */
export const UNEMULATED_FILE = 'unemulated.json';

const F = ts.TypeFlags;

/**
 * Turns TypeScript types into JSON Schema (2020-12) with the checker: every named interface
 * becomes a definition in the file named after its declaration file (`resources/Charges.d.ts` →
 * `Charges.json`), referenced with `$ref`; anonymous and generic instantiations are inlined.
 * Properties are required unless optional, nothing else is allowed, `T | null` lets `null`
 * through, string-literal unions are closed enums.
 */
export class Walker {
  /** Definitions by file name, then by qualified type name (`Charge.PaymentMethodDetails.Card`). */
  readonly files = new Map<string, Record<string, Schema>>();
  private readonly refs = new Map<ts.Symbol, string>();

  constructor(
    private readonly checker: ts.TypeChecker,
    /** `node_modules/stripe/cjs`: file names are taken relative to it. */
    private readonly stripeDir: string,
    /** Resources described in full; every other Stripe resource is unemulated. */
    private readonly emulated: ReadonlySet<ts.Symbol>,
  ) {}

  schema(type: ts.Type): Schema {
    const f = type.flags;
    if (f & (F.Any | F.Unknown)) return {};
    if (f & F.Null) return { type: 'null' };
    if (f & F.String) return { type: 'string' };
    if (f & F.StringLiteral) return { type: 'string', const: (type as ts.StringLiteralType).value };
    if (f & F.Number) return { type: 'number' };
    if (f & F.NumberLiteral) return { type: 'number', const: (type as ts.NumberLiteralType).value };
    if (f & F.Boolean) return { type: 'boolean' };
    if (f & F.BooleanLiteral) return { type: 'boolean', const: this.checker.typeToString(type) === 'true' };
    if (type.isUnion()) return this.union(type.types);
    if (isOpenString(type)) return { type: 'string' };
    if (f & F.Object) return this.object(type as ts.ObjectType);
    throw new Error(`Unsupported type: ${this.checker.typeToString(type)}`);
  }

  /**
   * A union, split by JSON type. A single kind (plus null) is written directly; several kinds
   * get one `if {type} then {...}` each, so that a divergence is reported against the member
   * the value is meant to be rather than against every member.
   */
  private union(members: readonly ts.Type[]): Schema {
    const present = members.filter((m) => !(m.flags & (F.Undefined | F.Void)));
    const nullable = present.some((m) => m.flags & F.Null);
    const strings = present.filter((m) => m.flags & F.StringLiteral).map((m) => (m as ts.StringLiteralType).value);
    const numbers = present.filter((m) => m.flags & F.NumberLiteral).map((m) => (m as ts.NumberLiteralType).value);
    const booleans = present.filter((m) => m.flags & F.BooleanLiteral).map((m) => this.checker.typeToString(m));
    const objects = present.filter((m) => m.flags & F.Object && !this.checker.isArrayType(m));
    const arrays = present.filter((m) => this.checker.isArrayType(m));
    const kinds: [string, Schema][] = [];
    // `OtherString` marks an enum Stripe may extend; the emulator sticks to the values listed.
    if (present.some((m) => m.flags & F.String)) kinds.push(['string', { type: 'string' }]);
    else if (strings.length) kinds.push(['string', { type: 'string', enum: strings.sort() }]);
    else if (present.some(isOpenString)) kinds.push(['string', { type: 'string' }]);
    if (present.some((m) => m.flags & F.Number)) kinds.push(['number', { type: 'number' }]);
    else if (numbers.length) kinds.push(['number', { type: 'number', enum: numbers.sort((a, b) => a - b) }]);
    if (booleans.length === 1) kinds.push(['boolean', { type: 'boolean', const: booleans[0] === 'true' }]);
    else if (booleans.length === 2) kinds.push(['boolean', { type: 'boolean' }]);
    if (objects.length === 1) kinds.push(['object', this.schema(objects[0]!)]);
    else if (objects.length > 1) kinds.push(['object', this.alternatives(objects)]);
    if (arrays.length === 1) kinds.push(['array', this.schema(arrays[0]!)]);
    else if (arrays.length > 1) kinds.push(['array', { anyOf: arrays.map((a) => this.schema(a)) }]);
    const known = strings.length + numbers.length + booleans.length + objects.length + arrays.length;
    const plain = present.filter((m) => m.flags & (F.String | F.Number | F.Null) || isOpenString(m)).length;
    if (known + plain !== present.length) {
      throw new Error(`Unsupported union: ${present.map((m) => this.checker.typeToString(m)).join(' | ')}`);
    }
    if (kinds.length === 0) return { type: 'null' };
    if (kinds.length === 1) {
      const [kind, only] = kinds[0]!;
      if (!nullable) return only;
      if (only.type === kind && !('$ref' in only)) return nullableSimple(only, kind);
      return { type: [kind, 'null'], if: { type: kind }, then: only };
    }
    const conditions = kinds
      .filter(([kind, s]) => Object.keys(s).length > 1 || s.type !== kind)
      .map(([kind, s]) => ({ if: { type: kind }, then: s }));
    const types = [...kinds.map(([kind]) => kind), ...(nullable ? ['null'] : [])];
    return { type: types, ...(conditions.length ? { allOf: conditions } : {}) };
  }

  /** Several object types: by their tag (`type`, `object`...) when each has its own, else any of them. */
  private alternatives(types: readonly ts.Type[]): Schema {
    const schemas = types.map((t) => this.schema(t));
    const tag = ['type', 'object', ...this.checker.getPropertiesOfType(types[0]!).map((p) => p.name)].find((name) =>
      this.isDiscriminant(types, name),
    );
    return tag
      ? { type: 'object', oneOf: schemas, discriminator: { propertyName: tag } }
      : { type: 'object', anyOf: schemas };
  }

  private isDiscriminant(types: readonly ts.Type[], name: string): boolean {
    const seen = new Set<string>();
    for (const type of types) {
      const prop = this.checker.getPropertyOfType(type, name);
      if (!prop || prop.flags & ts.SymbolFlags.Optional) return false;
      const value = this.checker.getTypeOfSymbol(prop);
      if (!(value.flags & F.StringLiteral)) return false;
      const literal = (value as ts.StringLiteralType).value;
      if (seen.has(literal)) return false;
      seen.add(literal);
    }
    return true;
  }

  private object(type: ts.ObjectType): Schema {
    if (this.checker.isArrayType(type)) {
      return { type: 'array', items: this.schema(this.checker.getTypeArguments(type as ts.TypeReference)[0]!) };
    }
    if (this.checker.isTupleType(type)) throw new Error(`Unsupported tuple: ${this.checker.typeToString(type)}`);
    // `Partial<Charge>` (an event's previous attributes) is defined next to the type it is part of.
    if (type.aliasSymbol?.name === 'Partial' && type.aliasTypeArguments?.length === 1) {
      const whole = type.aliasTypeArguments[0]!;
      if (!this.isNamed(whole)) return this.body(type);
      if (this.isUnemulated(whole.getSymbol()!)) return { type: 'object' };
      return this.define(whole.getSymbol()!, 'Partial.', () => this.body(type));
    }
    const symbol = type.getSymbol();
    if (!symbol || !this.isNamed(type)) return this.body(type);
    if (this.isUnemulated(symbol)) return this.unemulated(type, symbol);
    return this.define(symbol, '', () => this.body(type));
  }

  /** An interface of its own (not an anonymous type, not a generic instantiation). */
  private isNamed(type: ts.Type): boolean {
    const declaration = type.getSymbol()?.declarations?.[0];
    return !!declaration && ts.isInterfaceDeclaration(declaration) && !declaration.typeParameters?.length;
  }

  /** A top-level Stripe resource (it has an `object` tag) that no root names. */
  private isUnemulated(symbol: ts.Symbol): boolean {
    const declaration = symbol.declarations?.[0];
    if (!declaration || !ts.isSourceFile(declaration.parent)) return false;
    const file = path.relative(this.stripeDir, declaration.getSourceFile().fileName);
    if (!file.startsWith(`resources${path.sep}`) || this.emulated.has(symbol)) return false;
    const tag = this.checker.getPropertyOfType(this.checker.getDeclaredTypeOfSymbol(symbol), 'object');
    return !!tag && !!(this.checker.getTypeOfSymbol(tag).flags & F.StringLiteral);
  }

  private unemulated(type: ts.Type, symbol: ts.Symbol): Schema {
    const tag = this.checker.getTypeOfSymbol(this.checker.getPropertyOfType(type, 'object')!);
    // `Issuing.Dispute` apart from `Dispute`: the folder under resources/ is the namespace.
    const namespace = this.fileOf(symbol).split('.').slice(0, -2);
    const name = [...namespace, this.qualifiedName(symbol)].join('.');
    const defs = this.defs(UNEMULATED_FILE);
    defs[name] ??= {
      title: name,
      type: 'object',
      properties: { object: { type: 'string', const: (tag as ts.StringLiteralType).value } },
      required: ['object'],
    };
    return { $ref: `${UNEMULATED_FILE}#/$defs/${name}` };
  }

  /** A `$ref` to the definition of `symbol`, written once (a placeholder first: types recurse). */
  private define(symbol: ts.Symbol, prefix: string, build: () => Schema): Schema {
    const key = prefix ? undefined : this.refs.get(symbol);
    if (key) return { $ref: key };
    const file = this.fileOf(symbol);
    const name = `${prefix}${this.qualifiedName(symbol)}`;
    const ref = `${file}#/$defs/${name}`;
    const defs = this.defs(file);
    if (defs[name]) return { $ref: ref };
    if (!prefix) this.refs.set(symbol, ref);
    defs[name] = {};
    defs[name] = { title: name, ...build() };
    return { $ref: ref };
  }

  /** An object's properties: required unless optional, no others (but an index signature's). */
  body(type: ts.Type): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const prop of this.checker.getPropertiesOfType(type)) {
      const value = this.checker.getTypeOfSymbol(prop);
      // `deleted?: void` on a live object: the property never appears.
      if (value.flags & F.Void || (value.isUnion() && value.types.every((t) => t.flags & (F.Void | F.Undefined))))
        continue;
      if (value.getCallSignatures().length) throw new Error(`Unsupported method: ${prop.name}`);
      properties[prop.name] = this.schema(value);
      if (!(prop.flags & ts.SymbolFlags.Optional)) required.push(prop.name);
    }
    const index = this.checker.getIndexInfosOfType(type).find((info) => info.keyType.flags & F.String);
    return {
      type: 'object',
      properties,
      ...(required.length ? { required } : {}),
      additionalProperties: index ? this.schema(index.type) : false,
    };
  }

  defs(file: string): Record<string, Schema> {
    let defs = this.files.get(file);
    if (!defs) this.files.set(file, (defs = {}));
    return defs;
  }

  /** `Charges.json` for `resources/Charges.d.ts`, `Checkout.Sessions.json` for `resources/Checkout/Sessions.d.ts`. */
  private fileOf(symbol: ts.Symbol): string {
    const source = symbol.declarations![0]!.getSourceFile().fileName;
    const relative = path.relative(this.stripeDir, source);
    if (relative.startsWith('..')) return `${path.basename(source).replace(/\.d\.ts$|\.ts$/, '')}.json`;
    return `${relative
      .replace(/^resources[/\\]/, '')
      .replace(/\.d\.ts$/, '')
      .split(path.sep)
      .join('.')}.json`;
  }

  /** `Charge.PaymentMethodDetails.Card`: the name within its module. */
  qualifiedName(symbol: ts.Symbol): string {
    return this.checker.getFullyQualifiedName(symbol).replace(/^"[^"]*"\./, '');
  }
}

/** `OtherString` (`string & Record<never, never>`): "any other string", the mark of an open enum. */
function isOpenString(type: ts.Type): boolean {
  return type.isIntersection() && type.types.some((t) => t.flags & F.String);
}

/** `{type: 'string', enum: [...]}` with null added to both. */
function nullableSimple(schema: Schema, kind: string): Schema {
  const out: Schema = { ...schema, type: [kind, 'null'] };
  if ('const' in schema) {
    delete out.const;
    out.enum = [schema.const, null];
  }
  if (Array.isArray(schema.enum)) out.enum = [...schema.enum, null];
  return out;
}
