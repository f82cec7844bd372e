import { invalid } from './errors';

/** Request parameters as stripe-node sends them: form-encoded, bracket notation, all strings. */
export type Params = Record<string, unknown>;

export function str(
  params: Params,
  name: string,
  options: { required?: boolean; max?: number } = {},
): string | undefined {
  const value = params[name];
  if (value === undefined || value === '') {
    if (options.required) throw invalid(`Missing required param: ${name}.`, name, 'parameter_missing');
    return undefined;
  }
  if (typeof value !== 'string') throw invalid(`Invalid string: ${name}`, name);
  if (options.max && value.length > options.max)
    throw invalid(`Invalid ${name}: must be at most ${options.max} characters`, name);
  return value;
}

export function int(
  params: Params,
  name: string,
  options: { required?: boolean; min?: number } = {},
): number | undefined {
  const raw = str(params, name, options);
  if (raw === undefined) return undefined;
  if (!/^-?\d+$/.test(raw)) throw invalid(`Invalid integer: ${raw}`, name);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) throw invalid(`Invalid integer: ${raw}`, name);
  if (options.min !== undefined && value < options.min) {
    throw invalid(`This value must be greater than or equal to ${options.min}.`, name, 'parameter_invalid_integer');
  }
  return value;
}

export function bool(params: Params, name: string): boolean | undefined {
  const raw = str(params, name);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw invalid(`Invalid boolean: ${raw}`, name);
  return raw === 'true';
}

export function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const raw = str(params, name);
  if (raw === undefined) return undefined;
  if (!(values as readonly string[]).includes(raw)) {
    throw invalid(`Invalid ${name}: must be one of ${values.join(', ')}`, name);
  }
  return raw as T;
}

export function obj(params: Params, name: string): Params | undefined {
  const value = params[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`Invalid object`, name);
  return value as Params;
}

export function list(params: Params, name: string): string[] | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const items = Array.isArray(value)
    ? value
    : typeof value === 'object' && value !== null
      ? Object.values(value)
      : [value];
  if (!items.every((item) => typeof item === 'string')) throw invalid(`Invalid array`, name);
  return items as string[];
}

/** Metadata as Stripe validates it: 50 keys, keys ≤ 40 chars, values ≤ 500 chars; '' unsets. */
export function metadata(params: Params, current: Record<string, string> = {}): Record<string, string> | undefined {
  const raw = params.metadata;
  if (raw === undefined) return undefined;
  if (raw === '') return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid('Invalid metadata: must be an object', 'metadata');
  const next: Record<string, string> = { ...current };
  for (const [key, value] of Object.entries(raw)) {
    if (key.length > 40) throw invalid(`Metadata key "${key}" is longer than 40 characters.`, `metadata[${key}]`);
    if (typeof value !== 'string') throw invalid('Invalid metadata value', `metadata[${key}]`);
    if (value.length > 500)
      throw invalid(
        `Metadata values can have up to 500 characters, but you passed in a value that is ${value.length} characters.`,
        `metadata[${key}]`,
      );
    if (value === '') delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > 50) throw invalid('You can specify up to 50 keys in metadata.', 'metadata');
  return next;
}

export function expandList(params: Params): string[] {
  return list(params, 'expand') ?? [];
}
