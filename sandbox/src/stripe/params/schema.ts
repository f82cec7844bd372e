import schemaJson from './schema.json';

/** The generated file: every parameter path of every params interface an endpoint names. */
export interface Schema {
  stripe: string;
  apiVersion: string;
  params: Record<string, Record<string, string>>;
}

export const SCHEMA: Schema = schemaJson;

export type Kind = 'string' | 'number' | 'boolean' | 'hash' | 'map' | 'array';

/** One parameter path, as the schema's kind notation describes it. */
export interface ParamSpec {
  kinds: ReadonlySet<Kind>;
  /** The values of an enum (an enum accepts nothing else, even where the SDK's type stays open). */
  values?: readonly string[];
  required: boolean;
  /** `''` unsets it (`Stripe.Emptyable`). */
  emptyable: boolean;
}

/** Parses `string|enum(a,b) required emptyable`. */
export function parseKind(text: string): ParamSpec {
  const [alternatives = '', ...flags] = text.split(' ');
  const kinds = new Set<Kind>();
  let values: string[] | undefined;
  for (const alternative of alternatives.split('|')) {
    const list = /^enum\((.*)\)$/.exec(alternative);
    if (list) values = list[1]!.split(',');
    else kinds.add(alternative as Kind);
  }
  return {
    kinds,
    ...(values ? { values } : {}),
    required: flags.includes('required'),
    emptyable: flags.includes('emptyable'),
  };
}

/** The child path of `parent` (`''` is the top level): `shipping[address]`. */
export const childPath = (parent: string, name: string): string => (parent ? `${parent}[${name}]` : name);

/** A params interface's paths, with each hash's children for the required checks. */
export class ParamTable {
  private readonly specs = new Map<string, ParamSpec>();
  private readonly childrenOf = new Map<string, string[]>();

  constructor(paths: Readonly<Record<string, string>>) {
    for (const [path, kind] of Object.entries(paths)) this.add(path, parseKind(kind));
  }

  private add(path: string, spec: ParamSpec): void {
    this.specs.set(path, spec);
    const split = /^(.*)\[([^[\]]*)\]$/.exec(path);
    const [parent, name] = split ? [split[1]!, split[2]!] : ['', path];
    const siblings = this.childrenOf.get(parent) ?? [];
    if (!siblings.includes(name)) siblings.push(name);
    this.childrenOf.set(parent, siblings);
  }

  /**
   * This table with more paths (what Stripe.js sends besides the published parameters); a kind
   * starting with `+` adds its enum values to the path's own (`+enum(card)`).
   */
  with(extra: Readonly<Record<string, string>>): ParamTable {
    const table = new ParamTable({});
    for (const [path, spec] of this.specs) table.add(path, spec);
    for (const [path, kind] of Object.entries(extra)) {
      const base = this.specs.get(path);
      if (!kind.startsWith('+')) table.add(path, parseKind(kind));
      else if (!base?.values) throw new Error(`${path} has no enum to add ${kind} to`);
      else table.add(path, { ...base, values: [...base.values, ...(parseKind(kind.slice(1)).values ?? [])].sort() });
    }
    return table;
  }

  get(path: string): ParamSpec | undefined {
    return this.specs.get(path);
  }

  children(path: string): readonly string[] {
    return this.childrenOf.get(path) ?? [];
  }

  get size(): number {
    return this.specs.size;
  }
}

const tables = new Map<string, ParamTable>();

/** The table of a params interface (`PaymentIntentCreateParams`). */
export function tableOf(name: string): ParamTable {
  let table = tables.get(name);
  if (!table) {
    const paths = SCHEMA.params[name];
    if (!paths)
      throw new Error(`${name} is not in the parameter schema: regenerate it (sandbox/scripts/stripe-params.ts)`);
    table = new ParamTable(paths);
    tables.set(name, table);
  }
  return table;
}
