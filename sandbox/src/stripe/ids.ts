import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomToken(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[bytes[i]! % ALPHABET.length];
  return out;
}

/** Stripe-like ids: `pi_3Nabc...`. */
export const newId = (prefix: string) => `${prefix}_${randomToken(24)}`;

export const nowSeconds = () => Math.floor(Date.now() / 1000);
