import { fromStripeAmount, isoFractionDigits, MoneyError, stripeExponent, toStripeAmount } from '../../src/core/money';

const ALL_CURRENCIES = Intl.supportedValuesOf('currency');
const ZERO = ['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'];
const THREE = ['BHD', 'JOD', 'KWD', 'OMR', 'TND'];

describe('currency exponents', () => {
  it('covers the whole ISO 4217 table known to the runtime', () => {
    expect(ALL_CURRENCIES.length).toBeGreaterThan(150);
    for (const code of ALL_CURRENCIES) {
      const expected = ZERO.includes(code) ? 0 : THREE.includes(code) ? 3 : 2;
      expect([code, stripeExponent(code)]).toEqual([code, expected]);
      expect(Number.isInteger(isoFractionDigits(code))).toBe(true);
    }
  });

  it('follows ISO 4217 digits for commercetools', () => {
    expect(isoFractionDigits('EUR')).toBe(2);
    expect(isoFractionDigits('JPY')).toBe(0);
    expect(isoFractionDigits('KWD')).toBe(3);
    expect(isoFractionDigits('ISK')).toBe(0);
    expect(isoFractionDigits('usd')).toBe(2);
  });

  it('rejects unknown currencies', () => {
    expect(() => stripeExponent('XYZ1')).toThrow(MoneyError);
    expect(() => stripeExponent('QQQ')).toThrow(/Unknown currency/);
  });
});

describe('toStripeAmount / fromStripeAmount', () => {
  it.each([
    [
      { centAmount: 2999, currencyCode: 'EUR', fractionDigits: 2 },
      { amount: 2999, currency: 'eur' },
    ],
    [
      { centAmount: 3600, currencyCode: 'JPY', fractionDigits: 0 },
      { amount: 3600, currency: 'jpy' },
    ],
    [
      { centAmount: 9750, currencyCode: 'KWD', fractionDigits: 3 },
      { amount: 9750, currency: 'kwd' },
    ],
    // ISK: zero digits in ISO and commercetools, two in Stripe's API.
    [
      { centAmount: 500, currencyCode: 'ISK', fractionDigits: 0 },
      { amount: 50000, currency: 'isk' },
    ],
    // UGX too, though Stripe's list of zero-decimal currencies names it: 5000 UGX is 500000.
    [
      { centAmount: 5000, currencyCode: 'UGX', fractionDigits: 0 },
      { amount: 500000, currency: 'ugx' },
    ],
    [
      { centAmount: 123456, currencyCode: 'HUF', fractionDigits: 2 },
      { amount: 123456, currency: 'huf' },
    ],
    [
      { centAmount: 0, currencyCode: 'USD', fractionDigits: 2 },
      { amount: 0, currency: 'usd' },
    ],
  ])('%j ⇄ %j', (ct, stripe) => {
    expect(toStripeAmount(ct)).toEqual(stripe);
    expect(fromStripeAmount(stripe.amount, stripe.currency, ct.fractionDigits)).toEqual(ct);
  });

  it('round-trips a representative amount in every currency', () => {
    for (const code of ALL_CURRENCIES) {
      const digits = isoFractionDigits(code);
      const ct = { centAmount: 12340 * 10 ** digits, currencyCode: code, fractionDigits: digits };
      expect(fromStripeAmount(toStripeAmount(ct).amount, code, digits)).toEqual(ct);
    }
  });

  it('never rounds: precision Stripe cannot charge is an error', () => {
    expect(() => toStripeAmount({ centAmount: 9755, currencyCode: 'KWD', fractionDigits: 3 })).toThrow(
      /last digit is 0/,
    );
    expect(() => toStripeAmount({ centAmount: 12345, currencyCode: 'JPY', fractionDigits: 2 })).toThrow(
      /more precision/,
    );
    expect(toStripeAmount({ centAmount: 12300, currencyCode: 'JPY', fractionDigits: 2 })).toEqual({
      amount: 123,
      currency: 'jpy',
    });
    expect(() => fromStripeAmount(5, 'eur', 1)).toThrow(/cannot be expressed/);
  });

  it('rejects negative, fractional and unsafe amounts', () => {
    expect(() => toStripeAmount({ centAmount: -1, currencyCode: 'EUR', fractionDigits: 2 })).toThrow(MoneyError);
    expect(() => toStripeAmount({ centAmount: 1.5, currencyCode: 'EUR', fractionDigits: 2 })).toThrow(MoneyError);
    expect(() =>
      toStripeAmount({ centAmount: Number.MAX_SAFE_INTEGER, currencyCode: 'ISK', fractionDigits: 0 }),
    ).toThrow(/too large/);
    expect(() => fromStripeAmount(Number.NaN, 'eur')).toThrow(MoneyError);
  });
});
