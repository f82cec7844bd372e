import { invalid, type StripeApiError } from '../errors';
import type { Params } from '../form';
import { childPath, type ParamSpec, type ParamTable } from './schema';

/** A value the request sets: its schema path (`[]` for array items), its name on the wire, the value. */
export interface Leaf {
  path: string;
  param: string;
  value: string;
}

const INTEGER = /^-?\d+$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `a, b, or c`, as Stripe lists the values of an enum. */
function oneOf(values: readonly string[]): string {
  if (values.length <= 2) return values.join(' or ');
  return `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}`;
}

const render = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The error Stripe answers for a value of the wrong kind: the scalar it expected, else the structure. */
function wrongKind(spec: ParamSpec, param: string, value: unknown): StripeApiError {
  const { kinds } = spec;
  if (typeof value === 'string') {
    if (spec.values) {
      const values = kinds.has('boolean') ? ['true', 'false', ...spec.values] : spec.values;
      return invalid(`Invalid ${param}: must be one of ${oneOf(values)}`, param);
    }
    if (kinds.has('number')) return invalid(`Invalid integer: ${value}`, param, 'parameter_invalid_integer');
    if (kinds.has('boolean')) return invalid(`Invalid boolean: ${value}`, param);
  } else {
    if (kinds.has('array')) return invalid('Invalid array', param);
    if (kinds.has('hash') || kinds.has('map')) return invalid('Invalid hash', param);
    if (kinds.has('number')) return invalid(`Invalid integer: ${render(value)}`, param, 'parameter_invalid_integer');
    if (kinds.has('boolean')) return invalid(`Invalid boolean: ${render(value)}`, param);
    if (kinds.has('string') || spec.values) return invalid(`Invalid string: ${render(value)}`, param);
  }
  if (kinds.has('array')) return invalid('Invalid array', param);
  return invalid('Invalid hash', param);
}

/** Items of an array as qs parses them: an array, or (past its array limit) an object of indexes. */
function itemsOf(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (isObject(value) && Object.keys(value).every((key) => INTEGER.test(key)))
    return Object.entries(value)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, item]) => item);
  return undefined;
}

class Walk {
  readonly leaves: Leaf[] = [];

  constructor(private readonly table: ParamTable) {}

  hash(path: string, param: string, hash: Record<string, unknown>): void {
    for (const [name, value] of Object.entries(hash)) {
      const childParam = childPath(param, name);
      const spec = this.table.get(childPath(path, name));
      if (!spec) throw invalid(`Received unknown parameter: ${childParam}`, childParam, 'parameter_unknown');
      this.value(spec, childPath(path, name), childParam, value);
    }
    for (const name of this.table.children(path)) {
      if (this.table.get(childPath(path, name))?.required && hash[name] === undefined) {
        const missing = childPath(param, name);
        throw invalid(`Missing required param: ${missing}.`, missing, 'parameter_missing');
      }
    }
  }

  private value(spec: ParamSpec, path: string, param: string, value: unknown): void {
    if (value === '') {
      if (!spec.emptyable) {
        throw invalid(
          `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
          param,
          'parameter_invalid_empty',
        );
      }
      this.leaves.push({ path, param, value: '' });
      return;
    }
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      const text = String(value);
      const accepted =
        spec.values?.includes(text) ||
        spec.kinds.has('string') ||
        (spec.kinds.has('number') && INTEGER.test(text)) ||
        (spec.kinds.has('boolean') && (text === 'true' || text === 'false'));
      if (!accepted) throw wrongKind(spec, param, text);
      this.leaves.push({ path, param, value: text });
      return;
    }
    const items = spec.kinds.has('array') ? itemsOf(value) : undefined;
    if (items) {
      const itemSpec = this.table.get(`${path}[]`);
      if (!itemSpec) throw new Error(`schema lacks the items of ${path}`);
      items.forEach((item, index) => this.value(itemSpec, `${path}[]`, `${param}[${index}]`, item));
      return;
    }
    if (isObject(value) && spec.kinds.has('hash')) return this.hash(path, param, value);
    if (isObject(value) && spec.kinds.has('map')) {
      const valueSpec = this.table.get(`${path}[*]`);
      if (!valueSpec) throw new Error(`schema lacks the values of ${path}`);
      for (const [key, item] of Object.entries(value)) this.value(valueSpec, `${path}[*]`, `${param}[${key}]`, item);
      return;
    }
    throw wrongKind(spec, param, value);
  }
}

/**
 * Checks request parameters against a params interface as Stripe does: unknown names at any
 * depth, values of the wrong kind (a scalar for a hash, a hash for a scalar, an integer or a
 * boolean that does not parse, a value outside an enum), empty values that cannot unset, and
 * missing required ones. Throws Stripe's 400 for the first problem; answers the values set.
 */
export function validateParams(table: ParamTable, params: Params): Leaf[] {
  const walk = new Walk(table);
  walk.hash('', '', params);
  return walk.leaves;
}
