import { StripeApiError } from '../errors';
import type { Leaf } from './validate';

export const NOT_EMULATED = 'parameter_not_emulated';

/** `expand` is accepted everywhere, as Stripe does. */
const ALWAYS = ['expand'];

function covers(entry: string, leaf: Leaf): boolean {
  const split = entry.indexOf('=');
  const path = split < 0 ? entry : entry.slice(0, split);
  if (leaf.path === path)
    return (
      split < 0 ||
      entry
        .slice(split + 1)
        .split('|')
        .includes(leaf.value)
    );
  return split < 0 && leaf.path.startsWith(`${path}[`);
}

/** A map (metadata) is the one thing an empty value unsets on an existing object here. */
const isMapEntry = (leaf: Leaf): boolean => leaf.path.endsWith('[*]') || leaf.path === 'metadata';

/**
 * Refuses, with 400 `parameter_not_emulated`, the first value Stripe would accept but the
 * emulator would not act on: a parameter no entry of `emulated` covers, a value outside an
 * entry's list, or (on a call that changes an existing object, `changes`) an empty value that
 * would unset something the emulator leaves as it is (anything but metadata and `unsets`).
 */
export function requireEmulated(
  leaves: readonly Leaf[],
  emulated: readonly string[],
  changes: boolean,
  unsets: readonly string[] = [],
): void {
  for (const leaf of leaves) {
    const covered = [...ALWAYS, ...emulated].some((entry) => covers(entry, leaf));
    if (!covered) {
      const values = emulated
        .filter((entry) => entry.startsWith(`${leaf.path}=`))
        .flatMap((entry) => entry.slice(leaf.path.length + 1).split('|'));
      throw notEmulated(
        leaf.param,
        values.length > 0
          ? `${leaf.param}=${leaf.value} is a real Stripe value the sandbox does not emulate (it emulates ${values.join(', ')}).`
          : `${leaf.param} is a real Stripe parameter the sandbox does not emulate.`,
      );
    }
    if (changes && leaf.value === '' && !isMapEntry(leaf) && !unsets.includes(leaf.path)) {
      throw notEmulated(
        leaf.param,
        `Unsetting ${leaf.param} (an empty value) is real Stripe behaviour the sandbox does not emulate.`,
      );
    }
  }
}

function notEmulated(param: string, message: string): StripeApiError {
  return new StripeApiError(400, 'invalid_request_error', message, { code: NOT_EMULATED, param });
}
