// @ts-check
/** What the Payment Element offers and how it validates what the shopper types (no DOM here). */

/** @typedef {import('@stripe/stripe-js').PaymentIntent} PaymentIntent */
/** @typedef {import('@stripe/stripe-js').StripePaymentElementOptions} PaymentElementOptions */
/**
 * What `stripe.elements()` accepts, camelCase or snake_case as Stripe.js does.
 * @typedef {{mode?: string, amount?: number, currency?: string, captureMethod?: string, capture_method?: string,
 *   allowedPaymentMethodTypes?: string[], paymentMethodTypes?: string[], payment_method_types?: string[],
 *   excludedPaymentMethodTypes?: string[], clientSecret?: string, customerSessionClientSecret?: string,
 *   appearance?: import('@stripe/stripe-js').Appearance, locale?: string}} ElementsOptions
 */
/** @typedef {{field: string, code: string, message: string}} FieldError */

const SUPPORTED = ['card', 'sepa_debit', 'ideal'];
const LABELS = /** @type {Record<string, string>} */ ({
  card: 'Card',
  sepa_debit: 'SEPA Direct Debit',
  ideal: 'iDEAL',
});
/** @type {Record<string, [name: string, label: string, placeholder: string, autocomplete: string][]>} */
const FIELDS = {
  card: [
    ['number', 'Card number', '1234 1234 1234 1234', 'cc-number'],
    ['expiry', 'Expiration date', 'MM / YY', 'cc-exp'],
    ['cvc', 'Security code', 'CVC', 'cc-csc'],
  ],
  sepa_debit: [
    ['name', 'Full name', 'Jenny Rosen', 'name'],
    ['email', 'Email', 'you@example.com', 'email'],
    ['iban', 'IBAN', 'DE00 0000 0000 0000 0000 00', 'off'],
  ],
  ideal: [],
};
const HINTS = /** @type {Record<string, string>} */ ({
  card: 'Test cards: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0025 0000 3155 asks for 3-D Secure. Any future date and CVC.',
  sepa_debit: 'Test IBAN: DE89 3704 0044 0532 0130 00 (settles later), DE62 3704 0044 0532 0130 01 (fails later).',
  ideal: 'You will be redirected to a test bank page to authorize the payment.',
});

/** @param {ElementsOptions} options */
const captureMethodOf = (options) => options.captureMethod ?? options.capture_method ?? 'automatic';
/** Stripe treats automatic and automatic_async alike here: only manual capture changes what is allowed. */
const isManual = (/** @type {string | null | undefined} */ method) => method === 'manual';

/** @param {string} digits */
function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}
/** @param {string} iban ISO 13616 mod-97 check. */
function ibanValid(iban) {
  const digits = (iban.slice(4) + iban.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const ch of digits) rest = (rest * 10 + Number(ch)) % 97;
  return rest === 1;
}
const isAmex = (/** @type {string} */ digits) => /^3[47]/.test(digits);

const group4 = (/** @type {string} */ s) => (s.match(/.{1,4}/g) ?? []).join(' ');

/** As the shopper types: card numbers and IBANs in groups, expiry as `MM / YY`. @param {string} field @param {string} raw */
function format(field, raw) {
  const digits = raw.replace(/\D/g, '');
  if (field === 'number') {
    const d = digits.slice(0, isAmex(digits) ? 15 : 16);
    return isAmex(d) ? [d.slice(0, 4), d.slice(4, 10), d.slice(10)].filter(Boolean).join(' ') : group4(d);
  }
  if (field === 'expiry') return digits.length > 2 ? `${digits.slice(0, 2)} / ${digits.slice(2, 4)}` : digits;
  if (field === 'cvc') return digits.slice(0, 4);
  if (field === 'iban') return group4(raw.replace(/\s/g, '').toUpperCase());
  return raw;
}

/**
 * Stripe's client-side validation messages and codes, first error first.
 * @param {string} type @param {Record<string, string>} v @param {string[]} shown
 * @returns {FieldError[]}
 */
function validate(type, v, shown) {
  /** @type {FieldError[]} */
  const errors = [];
  const fail = (/** @type {string} */ field, /** @type {string} */ code, /** @type {string} */ message) =>
    errors.push({ field, code, message });
  if (type === 'card') {
    const digits = (v.number ?? '').replace(/\D/g, '');
    if (digits.length < (isAmex(digits) ? 15 : 16))
      fail('number', 'incomplete_number', 'Your card number is incomplete.');
    else if (!luhn(digits)) fail('number', 'invalid_number', 'Your card number is invalid.');
    const exp = /^(\d{2}) \/ (\d{2})$/.exec(v.expiry ?? '');
    const now = new Date();
    if (!exp) fail('expiry', 'incomplete_expiry', "Your card's expiration date is incomplete.");
    else if (Number(exp[1]) < 1 || Number(exp[1]) > 12)
      fail('expiry', 'invalid_expiry_month', "Your card's expiration month is invalid.");
    else if (2000 + Number(exp[2]) < now.getFullYear())
      fail('expiry', 'invalid_expiry_year_past', "Your card's expiration year is in the past.");
    else if (2000 + Number(exp[2]) === now.getFullYear() && Number(exp[1]) < now.getMonth() + 1)
      fail('expiry', 'invalid_expiry_month_past', "Your card's expiration date is in the past.");
    if ((v.cvc ?? '').length < (isAmex(digits) ? 4 : 3))
      fail('cvc', 'incomplete_cvc', "Your card's security code is incomplete.");
  }
  if (type === 'sepa_debit') {
    if (shown.includes('name') && !(v.name ?? '').trim()) fail('name', 'incomplete_name', 'Your name is incomplete.');
    if (shown.includes('email') && !(v.email ?? '').trim())
      fail('email', 'incomplete_email', 'Your email address is incomplete.');
    else if (shown.includes('email') && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.email ?? ''))
      fail('email', 'invalid_email', 'Your email address is invalid.');
    const iban = (v.iban ?? '').replace(/\s/g, '');
    if (iban.length < 15) fail('iban', 'incomplete_iban', 'Your IBAN is incomplete.');
    else if (!ibanValid(iban)) fail('iban', 'invalid_iban', 'Your IBAN is invalid.');
  }
  return errors;
}

/**
 * The methods the Payment Element offers: those of the intent, or of the deferred options,
 * narrowed as Stripe narrows them (SEPA and iDEAL are EUR-only and cannot be captured manually).
 * @param {ElementsOptions} options @param {PaymentIntent | null} intent @param {PaymentElementOptions} elementOptions
 */
function availableTypes(options, intent, elementOptions) {
  const wanted = intent
    ? intent.payment_method_types
    : (options.allowedPaymentMethodTypes ?? options.paymentMethodTypes ?? options.payment_method_types ?? SUPPORTED);
  const currency = (intent?.currency ?? options.currency ?? '').toLowerCase();
  const manual = isManual(intent ? intent.capture_method : captureMethodOf(options));
  const excluded = options.excludedPaymentMethodTypes ?? [];
  const types = wanted.filter(
    (t) => SUPPORTED.includes(t) && !excluded.includes(t) && (t === 'card' || (currency === 'eur' && !manual)),
  );
  const order = elementOptions.paymentMethodOrder ?? [];
  const rank = (/** @type {string} */ t) => (order.includes(t) ? order.indexOf(t) : order.length + types.indexOf(t));
  return types.sort((a, b) => rank(a) - rank(b));
}

module.exports = { SUPPORTED, LABELS, FIELDS, HINTS, captureMethodOf, isManual, format, validate, availableTypes };
