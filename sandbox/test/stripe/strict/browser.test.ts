import type Stripe from 'stripe';
import { startEmulator, type EmulatorHarness } from '../harness';
import { expectRefusal, NOT_EMULATED, raw, UNKNOWN, type Form, type Refusal } from './raw';

// The calls the Stripe.js stand-in makes with the publishable key, as it makes them (accepted),
// then with each way Stripe would refuse them.

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

const intent = (): Promise<Stripe.PaymentIntent> =>
  h.stripe.paymentIntents.create({ amount: 2000, currency: 'eur', automatic_payment_methods: { enabled: true } });
const browser = (pi: Stripe.PaymentIntent, params: Form = {}): Form => ({
  key: h.emulator.publishableKey,
  client_secret: pi.client_secret,
  ...params,
});
const asBrowser = { key: 'pk_test_sandbox' };

/** What the stand-in sends to confirm with a typed card. */
const CONFIRM: Form = {
  return_url: 'http://localhost:3000/return',
  use_stripe_sdk: 'true',
  payment_method_data: {
    type: 'card',
    billing_details: { name: 'Jenny Rosen', email: 'jenny@example.com' },
    card: { number: '4242424242424242', exp_month: '12', exp_year: '34', cvc: '123' },
  },
  expected_payment_method_type: 'card',
};

describe('POST /v1/payment_intents/:id/confirm with the publishable key', () => {
  it('accepts what the stand-in sends: a card, and a SEPA debit with its mandate', async () => {
    const card = await intent();
    const confirmed = await raw(h, 'POST', `/v1/payment_intents/${card.id}/confirm`, browser(card, CONFIRM), asBrowser);
    expect(confirmed.body).toMatchObject({ status: 'succeeded' });
    const sepa = await intent();
    const params = {
      use_stripe_sdk: 'true',
      payment_method_data: {
        type: 'sepa_debit',
        billing_details: { name: 'Jenny Rosen', email: 'jenny@example.com' },
        sepa_debit: { iban: 'DE89370400440532013000' },
      },
      expected_payment_method_type: 'sepa_debit',
      mandate_data: { customer_acceptance: { type: 'online', online: { infer_from_client: 'true' } } },
    };
    const debited = await raw(h, 'POST', `/v1/payment_intents/${sepa.id}/confirm`, browser(sepa, params), asBrowser);
    expect(debited.body).toMatchObject({ status: 'processing' });
  });

  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    { what: 'unknown in payment_method_data[card]', params: { payment_method_data: { ...(CONFIRM.payment_method_data as Form), card: { number: '4242424242424242', exp_month: '12', exp_year: '34', foo: 'x' } } }, param: 'payment_method_data[card][foo]', code: UNKNOWN },
    { what: 'unknown in billing_details', params: { payment_method_data: { type: 'card', billing_details: { nickname: 'J' } } }, param: 'payment_method_data[billing_details][nickname]', code: UNKNOWN },
    { what: 'a bad payment_method_data[type]', params: { payment_method_data: { type: 'cash' } }, param: 'payment_method_data[type]', code: null, message: /^Invalid payment_method_data\[type\]: must be one of .*card/ },
    { what: 'a bad setup_future_usage', params: { setup_future_usage: 'later' }, param: 'setup_future_usage', code: null },
    { what: 'a bad use_stripe_sdk', params: { use_stripe_sdk: '1' }, param: 'use_stripe_sdk', code: null, message: /^Invalid boolean: 1$/ },
    { what: 'a scalar for payment_method_data', params: { payment_method_data: 'card' }, param: 'payment_method_data', code: null, message: /^Invalid hash$/ },
    { what: 'a scalar for mandate_data[customer_acceptance]', params: { mandate_data: { customer_acceptance: 'online' } }, param: 'mandate_data[customer_acceptance]', code: null, message: /^Invalid hash$/ },
    { what: 'a card without its number', params: { payment_method_data: { type: 'card', card: { exp_month: '12', exp_year: '34' } } }, param: 'payment_method_data[card][number]', code: 'parameter_missing' },
    { what: 'request_three_d_secure (not emulated)', params: { payment_method_options: { card: { request_three_d_secure: 'any' } } }, param: 'payment_method_options[card][request_three_d_secure]', code: NOT_EMULATED },
    { what: 'a klarna PaymentMethod (not emulated)', params: { payment_method_data: { type: 'klarna' } }, param: 'payment_method_data[type]', code: NOT_EMULATED, message: /\(it emulates sepa_debit, ideal, card\)\.$/ },
    { what: 'an empty shipping (unsetting is not emulated)', params: { shipping: '' }, param: 'shipping', code: NOT_EMULATED },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    const pi = await intent();
    const params = browser(pi, { ...CONFIRM, ...refusal.params });
    expectRefusal(await raw(h, 'POST', `/v1/payment_intents/${pi.id}/confirm`, params, asBrowser), refusal);
  });

  it('refuses with the secret key what only Stripe.js sends', async () => {
    const pi = await intent();
    const expected = { ...CONFIRM, payment_method_data: undefined, payment_method: 'pm_card_visa' };
    expectRefusal(await raw(h, 'POST', `/v1/payment_intents/${pi.id}/confirm`, expected), {
      what: '',
      params: {},
      param: 'expected_payment_method_type',
      code: UNKNOWN,
    });
    // Raw card numbers are not for servers: the API's own list of PaymentMethod data has no card.
    expectRefusal(
      await raw(h, 'POST', `/v1/payment_intents/${pi.id}/confirm`, {
        payment_method_data: CONFIRM.payment_method_data,
      }),
      { what: '', params: {}, param: 'payment_method_data[type]', code: null, message: /must be one of/ },
    );
  });
});

describe('GET /v1/payment_intents/:id with the publishable key', () => {
  it('accepts what the stand-in sends', async () => {
    const pi = await intent();
    const answer = await raw(h, 'GET', `/v1/payment_intents/${pi.id}`, browser(pi), asBrowser);
    expect(answer.body).toMatchObject({ id: pi.id, status: 'requires_payment_method' });
  });
  const refusals: Refusal[] = [
    { what: 'an unknown query parameter', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    { what: 'a hash for client_secret', params: { client_secret: { value: 'x' } }, param: 'client_secret', code: null },
    { what: 'expand as a scalar', params: { expand: 'payment_method' }, param: 'expand', code: null, message: /^Invalid array$/ },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    const pi = await intent();
    const answer = await raw(h, 'GET', `/v1/payment_intents/${pi.id}`, browser(pi, refusal.params), asBrowser);
    expectRefusal(answer, refusal);
  });
});
