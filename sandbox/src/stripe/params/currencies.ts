import { invalid, StripeApiError } from '../errors';

/**
 * The presentment currencies Stripe's currency guide lists for card payments (lowercase ISO 4217).
 * Stripe answers any other with "Invalid currency".
 */
// prettier-ignore
export const CURRENCIES: readonly string[] = [
  'usd', 'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt', 'bgn',
  'bhd', 'bif', 'bmd', 'bnd', 'bob', 'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp', 'cny',
  'cop', 'crc', 'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp', 'etb', 'eur', 'fjd', 'fkp', 'gbp', 'gel',
  'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr', 'ils', 'inr', 'isk', 'jmd', 'jod',
  'jpy', 'kes', 'kgs', 'khr', 'kmf', 'krw', 'kwd', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd', 'lsl', 'mad',
  'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mxn', 'myr', 'mzn', 'nad', 'ngn', 'nio',
  'nok', 'npr', 'nzd', 'omr', 'pab', 'pen', 'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar', 'ron', 'rsd', 'rub',
  'rwf', 'sar', 'sbd', 'scr', 'sek', 'sgd', 'shp', 'sle', 'sos', 'srd', 'std', 'szl', 'thb', 'tjs', 'tnd',
  'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx', 'uyu', 'uzs', 'vnd', 'vuv', 'wst', 'xaf', 'xcd', 'xcg',
  'xof', 'xpf', 'yer', 'zar', 'zmw',
];

/**
 * Three-decimal currencies: Stripe takes amounts in thousandths but, for its payment partners,
 * only with a last digit of 0 (5.124 KWD must be sent as 5120 or 5130).
 */
export const THREE_DECIMAL: readonly string[] = ['bhd', 'jod', 'kwd', 'omr', 'tnd'];

/** Zero-decimal currencies: the amount is in whole units (500 is ¥500). */
// prettier-ignore
export const ZERO_DECIMAL: readonly string[] = [
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
];

/**
 * ISK and UGX became zero-decimal, but the API keeps them two-decimal for backwards compatibility:
 * amounts must be divisible by 100 (500 is 5 ISK), for charges, PaymentIntents and refunds
 * alike (enforced for ISK since 2023-04-14). HUF and TWD are zero-decimal for payouts only (the
 * emulator has none): charges and refunds take any two-decimal amount.
 */
export const WHOLE_UNITS_IN_HUNDREDTHS: readonly string[] = ['isk', 'ugx'];

/**
 * Stripe's minimum charge amounts in minor units, for the currencies its guide names. For the
 * others Stripe requires the equivalent of 0.50 USD at the day's rate, which the emulator does
 * not know: it checks only these.
 */
// prettier-ignore
export const MINIMUM_CHARGE: Readonly<Record<string, number>> = {
  usd: 50, aed: 200, aud: 50, bgn: 100, brl: 50, cad: 50, chf: 50, czk: 1500, dkk: 250, eur: 50, gbp: 30,
  hkd: 400, huf: 17500, inr: 50, jpy: 50, mxn: 1000, myr: 200, nok: 300, nzd: 50, pln: 200, ron: 200,
  sek: 300, sgd: 50, thb: 1000,
};

/** An amount may have at most eight digits. */
export const MAXIMUM_AMOUNT = 99_999_999;

/** The currency as Stripe stores it (lowercase), refused unless Stripe supports it. */
export function supportedCurrency(raw: string, param = 'currency'): string {
  const currency = raw.toLowerCase();
  if (!CURRENCIES.includes(currency)) {
    throw invalid(
      `Invalid currency: ${raw}. Stripe currently supports these currencies: ${CURRENCIES.join(', ')}`,
      param,
    );
  }
  return currency;
}

const minorUnits = (currency: string): string =>
  ZERO_DECIMAL.includes(currency) ? 'units' : THREE_DECIMAL.includes(currency) ? 'thousandths' : 'cents';

/**
 * An amount in `currency` as Stripe accepts it for a payment, a capture or a refund: divisible
 * by 10 in three-decimal currencies, by 100 in ISK and UGX; with `charge`, at least the currency's
 * minimum charge amount and at most eight digits.
 */
export function checkAmount(amount: number, currency: string, param: string, charge: boolean): void {
  if (THREE_DECIMAL.includes(currency) && amount % 10 !== 0) {
    throw invalid(
      `Invalid amount. ${currency.toUpperCase()} is a three-decimal currency whose amounts must end in 0 (round ${amount} to the nearest ten).`,
      param,
      'invalid_charge_amount',
    );
  }
  if (WHOLE_UNITS_IN_HUNDREDTHS.includes(currency) && amount % 100 !== 0) {
    throw invalid(
      `Invalid amount. Currency ${currency.toUpperCase()} has become effectively zero-decimal and charged amounts must be evenly divisible by 100. See https://stripe.com/docs/currencies#special-cases for more information.`,
      param,
      'invalid_charge_amount_no_decimal_compatible',
    );
  }
  if (!charge) return;
  const minimum = MINIMUM_CHARGE[currency];
  if (minimum !== undefined && amount < minimum) {
    throw new StripeApiError(
      400,
      'invalid_request_error',
      `Amount must be at least ${minimum} ${currency === 'jpy' ? 'yen' : minorUnits(currency)}`,
      { code: 'amount_too_small', param },
    );
  }
  if (amount > MAXIMUM_AMOUNT) throw invalid('Amount must be no more than 99,999,999', param, 'amount_too_large');
}
