/**
 * Money between commercetools (integer `centAmount` with the currency's `fractionDigits`) and
 * Stripe (integer `amount` in Stripe's minor unit, lower-case currency). Exact integer
 * arithmetic only; anything that cannot be represented exactly is an error, never rounded.
 */

export interface CtMoney {
  centAmount: number;
  currencyCode: string;
  fractionDigits: number;
}

export interface StripeMoney {
  amount: number;
  currency: string;
}

export class MoneyError extends Error {
  constructor(
    message: string,
    readonly code: 'unknown_currency' | 'not_representable' | 'invalid_amount',
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

/** Stripe's zero-decimal currencies: the amount is in whole units (UGX is not, see below). */
const ZERO_DECIMAL = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
/** Three-decimal currencies: Stripe needs the last digit to be 0. */
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);
/**
 * Two-decimal in Stripe's API whatever ISO says, but only whole units can be charged: amounts
 * must be divisible by 100 (ISK since April 2023). UGX too, for backwards compatibility, although
 * Stripe lists it among the zero-decimal currencies: 5 UGX is an amount of 500.
 */
const WHOLE_UNITS_IN_TWO_DECIMALS = new Set(['ISK', 'UGX']);

const currencyCache = new Map<string, number>();

/** ISO 4217 minor-unit digits, as commercetools uses them. */
export function isoFractionDigits(currencyCode: string): number {
  const code = currencyCode.toUpperCase();
  const cached = currencyCache.get(code);
  if (cached !== undefined) return cached;
  if (!/^[A-Z]{3}$/.test(code) || !Intl.supportedValuesOf('currency').includes(code)) {
    throw new MoneyError(`Unknown currency "${currencyCode}"`, 'unknown_currency');
  }
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  currencyCache.set(code, digits);
  return digits;
}

/** The exponent of Stripe's minor unit for a currency. */
export function stripeExponent(currencyCode: string): number {
  const code = currencyCode.toUpperCase();
  isoFractionDigits(code);
  if (ZERO_DECIMAL.has(code)) return 0;
  if (THREE_DECIMAL.has(code)) return 3;
  return 2;
}

function assertAmount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new MoneyError(`${what} must be a non-negative integer`, 'invalid_amount');
}

/** Converts commercetools money to a Stripe amount, or throws when Stripe cannot charge it exactly. */
export function toStripeAmount(money: CtMoney): StripeMoney {
  assertAmount(money.centAmount, 'centAmount');
  const code = money.currencyCode.toUpperCase();
  const exponent = stripeExponent(code);
  const shift = exponent - money.fractionDigits;
  let amount: number;
  if (shift >= 0) {
    amount = money.centAmount * 10 ** shift;
  } else {
    const divisor = 10 ** -shift;
    if (money.centAmount % divisor !== 0) {
      throw new MoneyError(
        `${money.centAmount} (${money.fractionDigits} digits) ${code} has more precision than Stripe accepts`,
        'not_representable',
      );
    }
    amount = money.centAmount / divisor;
  }
  if (!Number.isSafeInteger(amount)) throw new MoneyError('amount is too large', 'invalid_amount');
  if (THREE_DECIMAL.has(code) && amount % 10 !== 0) {
    throw new MoneyError(
      `Stripe only charges ${code} amounts whose last digit is 0 (got ${amount})`,
      'not_representable',
    );
  }
  if (WHOLE_UNITS_IN_TWO_DECIMALS.has(code) && amount % 100 !== 0) {
    throw new MoneyError(`Stripe only charges whole ${code} units (got ${amount})`, 'not_representable');
  }
  return { amount, currency: code.toLowerCase() };
}

/**
 * Converts a Stripe amount back to commercetools money with the given fraction digits (those of
 * the commercetools payment; ISO digits by default).
 */
export function fromStripeAmount(
  amount: number,
  currency: string,
  fractionDigits = isoFractionDigits(currency),
): CtMoney {
  assertAmount(amount, 'amount');
  const code = currency.toUpperCase();
  const shift = fractionDigits - stripeExponent(code);
  let centAmount: number;
  if (shift >= 0) {
    centAmount = amount * 10 ** shift;
  } else {
    const divisor = 10 ** -shift;
    if (amount % divisor !== 0) {
      throw new MoneyError(
        `${amount} ${code} cannot be expressed with ${fractionDigits} fraction digits`,
        'not_representable',
      );
    }
    centAmount = amount / divisor;
  }
  if (!Number.isSafeInteger(centAmount)) throw new MoneyError('amount is too large', 'invalid_amount');
  return { centAmount, currencyCode: code, fractionDigits };
}
