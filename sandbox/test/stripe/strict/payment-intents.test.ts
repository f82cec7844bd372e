import type Stripe from 'stripe';
import { startEmulator, type EmulatorHarness } from '../harness';
import { expectRefusal, NOT_EMULATED, paidIntent, raw, SHIPPING, UNKNOWN, type Form, type Refusal } from './raw';

// Each call the processor makes on PaymentIntents, first as the processor sends it (accepted),
// then with each way Stripe would refuse it, and with what Stripe accepts but the sandbox does
// not act on.

let h: EmulatorHarness;
let open: Stripe.PaymentIntent;
let authorized: Stripe.PaymentIntent;
let iskAuthorized: Stripe.PaymentIntent;
beforeAll(async () => {
  h = await startEmulator();
  open = await h.stripe.paymentIntents.create({ amount: 2000, currency: 'eur' });
  authorized = await paidIntent(h, 'eur', 5000, 'manual');
  iskAuthorized = await paidIntent(h, 'isk', 50000, 'manual');
});
afterAll(() => h.close());

const CREATE: Form = {
  amount: 2999,
  currency: 'eur',
  capture_method: 'manual',
  payment_method_options: { card: { request_multicapture: 'if_available' } },
  automatic_payment_methods: { enabled: 'true' },
  metadata: { ct_payment_id: 'p1', ct_cart_id: 'c1', ct_project_key: 'sandbox' },
  shipping: SHIPPING,
  receipt_email: 'jenny@example.com',
};

describe('POST /v1/payment_intents', () => {
  it('accepts what the processor sends', async () => {
    const answer = await raw(h, 'POST', '/v1/payment_intents', CREATE);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ amount: 2999, shipping: { address: { city: 'Berlin' } } });
  });

  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN, message: /^Received unknown parameter: foo$/ },
    {
      what: 'unknown in shipping[address]',
      params: { shipping: { ...SHIPPING, address: { ...SHIPPING.address, foo: 'x' } } },
      param: 'shipping[address][foo]',
      code: UNKNOWN,
      message: /^Received unknown parameter: shipping\[address\]\[foo\]$/,
    },
    { what: 'unknown in payment_method_options[card]', params: { payment_method_options: { card: { foo: 'x' } } }, param: 'payment_method_options[card][foo]', code: UNKNOWN },
    { what: 'unknown in automatic_payment_methods', params: { automatic_payment_methods: { enabled: 'true', foo: 'x' } }, param: 'automatic_payment_methods[foo]', code: UNKNOWN },
    { what: 'unknown in payment_method_data', params: { payment_method_data: { type: 'sepa_debit', foo: 'x' } }, param: 'payment_method_data[foo]', code: UNKNOWN },
    { what: 'a parameter of an older API version', params: { payment_method_types: ['card'] }, param: 'payment_method_types', code: UNKNOWN },
    { what: 'bad capture_method', params: { capture_method: 'later' }, param: 'capture_method', code: null, message: /^Invalid capture_method: must be one of automatic, automatic_async, or manual$/ },
    { what: 'bad request_three_d_secure', params: { payment_method_options: { card: { request_three_d_secure: 'always' } } }, param: 'payment_method_options[card][request_three_d_secure]', code: null, message: /must be one of any, automatic, or challenge/ },
    { what: 'bad allow_redirects', params: { automatic_payment_methods: { enabled: 'true', allow_redirects: 'sometimes' } }, param: 'automatic_payment_methods[allow_redirects]', code: null },
    { what: 'bad setup_future_usage', params: { setup_future_usage: 'forever' }, param: 'setup_future_usage', code: null },
    { what: 'bad use_stripe_sdk', params: { confirm: 'true', use_stripe_sdk: 'yes' }, param: 'use_stripe_sdk', code: null, message: /^Invalid boolean: yes$/ },
    { what: 'a scalar for shipping', params: { shipping: 'Berlin' }, param: 'shipping', code: null, message: /^Invalid hash$/ },
    { what: 'a scalar for metadata', params: { metadata: 'p1' }, param: 'metadata', code: null, message: /^Invalid hash$/ },
    { what: 'a hash for amount', params: { amount: { value: '2999' } }, param: 'amount', code: 'parameter_invalid_integer' },
    { what: 'a hash for description', params: { description: { text: 'x' } }, param: 'description', code: null, message: /^Invalid string/ },
    { what: 'a scalar for an array', params: { allowed_payment_method_types: 'card', automatic_payment_methods: undefined }, param: 'allowed_payment_method_types', code: null, message: /^Invalid array$/ },
    { what: 'a decimal amount', params: { amount: '29.99' }, param: 'amount', code: 'parameter_invalid_integer', message: /^Invalid integer: 29\.99$/ },
    { what: 'an empty amount', params: { amount: '' }, param: 'amount', code: 'parameter_invalid_empty' },
    { what: 'no amount', params: { amount: undefined }, param: 'amount', code: 'parameter_missing', message: /^Missing required param: amount\.$/ },
    { what: 'shipping without a name', params: { shipping: { address: SHIPPING.address } }, param: 'shipping[name]', code: 'parameter_missing' },
    { what: 'an unsupported currency', params: { currency: 'xyz' }, param: 'currency', code: null, message: /^Invalid currency: xyz\. Stripe currently supports these currencies: usd, / },
    { what: 'KWD not ending in 0', params: { currency: 'kwd', amount: 1005 }, param: 'amount', code: 'invalid_charge_amount' },
    { what: 'ISK not divisible by 100', params: { currency: 'isk', amount: 12050 }, param: 'amount', code: 'invalid_charge_amount_no_decimal_compatible', message: /Currency ISK has become effectively zero-decimal/ },
    { what: 'UGX not divisible by 100', params: { currency: 'ugx', amount: 500050 }, param: 'amount', code: 'invalid_charge_amount_no_decimal_compatible' },
    { what: 'a malformed receipt_email', params: { receipt_email: 'jenny at example.com' }, param: 'receipt_email', code: 'email_invalid', message: /^Invalid email address: jenny at example\.com$/ },
    { what: 'less than the minimum in EUR', params: { amount: 49 }, param: 'amount', code: 'amount_too_small' },
    { what: 'less than the minimum in JPY', params: { currency: 'jpy', amount: 49 }, param: 'amount', code: 'amount_too_small', message: /50 yen/ },
    { what: 'more than eight digits', params: { amount: 100_000_000 }, param: 'amount', code: 'amount_too_large' },
    { what: 'request_three_d_secure (not emulated)', params: { payment_method_options: { card: { request_three_d_secure: 'any' } } }, param: 'payment_method_options[card][request_three_d_secure]', code: NOT_EMULATED, message: /is a real Stripe parameter the sandbox does not emulate/ },
    { what: 'allow_redirects (not emulated)', params: { automatic_payment_methods: { enabled: 'true', allow_redirects: 'never' } }, param: 'automatic_payment_methods[allow_redirects]', code: NOT_EMULATED },
    { what: 'application_fee_amount (not emulated)', params: { application_fee_amount: 100 }, param: 'application_fee_amount', code: NOT_EMULATED },
    { what: 'a klarna PaymentMethod (not emulated)', params: { payment_method_data: { type: 'klarna' } }, param: 'payment_method_data[type]', code: NOT_EMULATED, message: /^payment_method_data\[type\]=klarna is a real Stripe value the sandbox does not emulate \(it emulates sepa_debit, ideal\)\.$/ },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    const params = Object.fromEntries(
      Object.entries({ ...CREATE, ...refusal.params }).filter(([, v]) => v !== undefined),
    );
    expectRefusal(await raw(h, 'POST', '/v1/payment_intents', params), refusal);
  });

  it('takes HUF and TWD with two decimals, and whole ISK and UGX', async () => {
    for (const [currency, amount] of [['huf', 17_550], ['twd', 5_025], ['isk', 12_000], ['ugx', 500_000], ['kwd', 1_010]] as const) {
      expect((await raw(h, 'POST', '/v1/payment_intents', { amount, currency })).status).toBe(200);
    }
  }); // prettier-ignore
});

describe('GET /v1/payment_intents/:id', () => {
  it('accepts expand[]', async () => {
    expect((await raw(h, 'GET', `/v1/payment_intents/${open.id}`, { expand: ['latest_charge'] })).status).toBe(200);
  });
  const refusals: Refusal[] = [
    { what: 'an unknown query parameter', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    {
      what: 'expand as a scalar',
      params: { expand: 'latest_charge' },
      param: 'expand',
      code: null,
      message: /^Invalid array$/,
    },
    { what: 'a hash inside expand', params: { expand: [{ path: 'x' }] }, param: 'expand[0]', code: null },
  ];
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'GET', `/v1/payment_intents/${open.id}`, refusal.params), refusal);
  });
});

describe('POST /v1/payment_intents/:id', () => {
  it('accepts what the processor sends', async () => {
    const params = { amount: 2550, allowed_payment_method_types: ['card'], metadata: { ct_update_seq: '1' } };
    expect((await raw(h, 'POST', `/v1/payment_intents/${open.id}`, params)).status).toBe(200);
  });
  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    { what: 'unknown in shipping[address]', params: { shipping: { ...SHIPPING, address: { foo: 'x' } } }, param: 'shipping[address][foo]', code: UNKNOWN },
    { what: 'bad capture_method', params: { capture_method: 'later' }, param: 'capture_method', code: null },
    { what: 'a scalar for payment_method_options', params: { payment_method_options: 'card' }, param: 'payment_method_options', code: null, message: /^Invalid hash$/ },
    { what: 'an unsupported currency', params: { currency: 'eu' }, param: 'currency', code: null, message: /^Invalid currency: eu\./ },
    { what: 'a KWD amount not ending in 0', params: { currency: 'kwd', amount: 2005 }, param: 'amount', code: 'invalid_charge_amount' },
    { what: 'a new currency the kept amount does not suit', params: { currency: 'isk' }, param: 'amount', code: 'invalid_charge_amount_no_decimal_compatible' },
    { what: 'statement_descriptor (not emulated on update)', params: { statement_descriptor: 'SHOP' }, param: 'statement_descriptor', code: NOT_EMULATED },
    { what: 'an empty description (it cannot be unset)', params: { description: '' }, param: 'description', code: 'parameter_invalid_empty', message: /^You passed an empty string for 'description'\. We assume empty values are an attempt to unset a parameter; however 'description' cannot be unset\./ },
    { what: 'an empty receipt_email (unsetting is not emulated)', params: { receipt_email: '' }, param: 'receipt_email', code: NOT_EMULATED, message: /^Unsetting receipt_email/ },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'POST', `/v1/payment_intents/${open.id}`, refusal.params), refusal);
  });
  it('applies an emptied metadata key, as Stripe does', async () => {
    const answer = await raw(h, 'POST', `/v1/payment_intents/${open.id}`, { metadata: { ct_update_seq: '' } });
    expect(answer.body.metadata).toEqual({});
  });
});

describe('POST /v1/payment_intents/:id/capture', () => {
  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    { what: 'unknown in hooks', params: { hooks: { foo: 'x' } }, param: 'hooks[foo]', code: UNKNOWN },
    { what: 'a bad integer', params: { amount_to_capture: 'all' }, param: 'amount_to_capture', code: 'parameter_invalid_integer' },
    { what: 'a bad boolean', params: { final_capture: 'no' }, param: 'final_capture', code: null, message: /^Invalid boolean: no$/ },
    { what: 'a scalar for metadata', params: { metadata: 'x' }, param: 'metadata', code: null },
    { what: 'statement_descriptor_suffix (not emulated)', params: { statement_descriptor_suffix: 'X' }, param: 'statement_descriptor_suffix', code: NOT_EMULATED },
    { what: 'transfer_data (not emulated)', params: { transfer_data: { amount: 10 } }, param: 'transfer_data[amount]', code: NOT_EMULATED },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'POST', `/v1/payment_intents/${authorized.id}/capture`, refusal.params), refusal);
  });
  it('refuses an ISK capture not divisible by 100, and takes a whole one as the processor sends it', async () => {
    const path = `/v1/payment_intents/${iskAuthorized.id}/capture`;
    expectRefusal(await raw(h, 'POST', path, { amount_to_capture: 10050 }), {
      what: '',
      params: {},
      param: 'amount_to_capture',
      code: 'invalid_charge_amount_no_decimal_compatible',
    });
    const answer = await raw(h, 'POST', path, { amount_to_capture: 10000, expand: ['latest_charge'] });
    expect(answer.body).toMatchObject({ status: 'succeeded', amount_received: 10000 });
  });
});

describe('POST /v1/payment_intents/:id/cancel', () => {
  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    { what: 'a bad cancellation_reason', params: { cancellation_reason: 'bored' }, param: 'cancellation_reason', code: null, message: /must be one of abandoned, duplicate, fraudulent, or requested_by_customer/ },
    { what: 'a hash for cancellation_reason', params: { cancellation_reason: { why: 'x' } }, param: 'cancellation_reason', code: null },
    { what: 'expand as a hash', params: { expand: { path: 'latest_charge' } }, param: 'expand', code: null, message: /^Invalid array$/ },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'POST', `/v1/payment_intents/${authorized.id}/cancel`, refusal.params), refusal);
  });
  it('accepts what the processor sends', async () => {
    const params = { cancellation_reason: 'requested_by_customer', expand: ['latest_charge'] };
    expect((await raw(h, 'POST', `/v1/payment_intents/${authorized.id}/cancel`, params)).body.status).toBe('canceled');
  });
});

describe('GET /v1/payment_intents', () => {
  it('accepts what the processor sends', async () => {
    const answer = await raw(h, 'GET', '/v1/payment_intents', { created: { gte: 1 }, limit: 100 });
    expect(answer.body).toMatchObject({ object: 'list' });
  });
  const refusals: Refusal[] = [
    { what: 'an unknown query parameter', params: { status: 'succeeded' }, param: 'status', code: UNKNOWN },
    { what: 'unknown in created', params: { created: { after: 1 } }, param: 'created[after]', code: UNKNOWN },
    { what: 'a bad created', params: { created: 'yesterday' }, param: 'created', code: 'parameter_invalid_integer' },
    { what: 'a bad limit', params: { limit: 'ten' }, param: 'limit', code: 'parameter_invalid_integer' },
    { what: 'customer_account (not emulated)', params: { customer_account: 'acct_1' }, param: 'customer_account', code: NOT_EMULATED },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'GET', '/v1/payment_intents', refusal.params), refusal);
  });
});
