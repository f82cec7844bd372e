type Present<T> = { [K in keyof T]?: Exclude<T[K], undefined | null> };

/**
 * The one policy for optional properties: an absent value is an absent key, never a key holding
 * `undefined` or `null` (commercetools and Stripe read those differently from a missing field).
 * `{ required, ...present({ optional }) }` replaces one conditional spread per field.
 */
export function present<T extends object>(fields: T): Present<T> {
  const out: Present<T> = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const value = fields[key];
    if (value !== undefined && value !== null) out[key] = value as Exclude<T[keyof T], undefined | null>;
  }
  return out;
}
