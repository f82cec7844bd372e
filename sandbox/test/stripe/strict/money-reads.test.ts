import type Stripe from 'stripe';
import { startEmulator, type EmulatorHarness } from '../harness';
import { expectRefusal, NOT_EMULATED, paidIntent, raw, UNKNOWN, type Refusal } from './raw';

// Refunds, and the reads the processor makes of charges, refunds, disputes and the balance: as
// the processor sends them (accepted), then each way Stripe would refuse them.

let h: EmulatorHarness;
let paid: Stripe.PaymentIntent;
let iskPaid: Stripe.PaymentIntent;
let kwdPaid: Stripe.PaymentIntent;
beforeAll(async () => {
  h = await startEmulator();
  paid = await paidIntent(h, 'eur', 10000);
  iskPaid = await paidIntent(h, 'isk', 50000);
  kwdPaid = await paidIntent(h, 'kwd', 5000);
});
afterAll(() => h.close());

describe('POST /v1/refunds', () => {
  it('accepts what the processor sends', async () => {
    const params = { payment_intent: paid.id, amount: 1000, metadata: { ct_payment_id: 'p1', ct_operation: 'op1' } };
    expect((await raw(h, 'POST', '/v1/refunds', params)).body).toMatchObject({ object: 'refund', amount: 1000 });
    const release = {
      payment_intent: paid.id,
      reason: 'requested_by_customer',
      metadata: { ct_reason: 'cart_changed' },
    };
    expect((await raw(h, 'POST', '/v1/refunds', release)).body).toMatchObject({ amount: 9000 });
  });
  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { foo: 'bar' }, param: 'foo', code: UNKNOWN },
    { what: 'a nested value for a scalar', params: { payment_intent: { id: 'pi_1' } }, param: 'payment_intent', code: null, message: /^Invalid string/ },
    { what: 'a bad reason', params: { reason: 'expired_uncaptured_charge' }, param: 'reason', code: null, message: /^Invalid reason: must be one of duplicate, fraudulent, or requested_by_customer$/ },
    { what: 'a bad origin', params: { origin: 'bank' }, param: 'origin', code: null },
    { what: 'a scalar for metadata', params: { metadata: 'x' }, param: 'metadata', code: null, message: /^Invalid hash$/ },
    { what: 'a bad integer', params: { amount: '10.00' }, param: 'amount', code: 'parameter_invalid_integer' },
    { what: 'a bad boolean', params: { reverse_transfer: 'y' }, param: 'reverse_transfer', code: null },
    { what: 'instructions_email (not emulated)', params: { instructions_email: 'j@example.com' }, param: 'instructions_email', code: NOT_EMULATED },
    { what: 'currency (not emulated)', params: { currency: 'eur' }, param: 'currency', code: NOT_EMULATED },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'POST', '/v1/refunds', { payment_intent: paid.id, ...refusal.params }), refusal);
  });
  it('refuses refunds in ISK not divisible by 100 and in KWD not ending in 0, and takes whole ones', async () => {
    const refuse = async (pi: Stripe.PaymentIntent, amount: number, code: string) =>
      expectRefusal(await raw(h, 'POST', '/v1/refunds', { payment_intent: pi.id, amount }), {
        what: '',
        params: {},
        param: 'amount',
        code,
      });
    await refuse(iskPaid, 150, 'invalid_charge_amount_no_decimal_compatible');
    await refuse(kwdPaid, 1005, 'invalid_charge_amount');
    const charge = String(iskPaid.latest_charge);
    const byCharge = await raw(h, 'POST', '/v1/refunds', { charge, amount: 250 });
    expect(byCharge.body.error).toMatchObject({ code: 'invalid_charge_amount_no_decimal_compatible' });
    expect((await raw(h, 'POST', '/v1/refunds', { payment_intent: iskPaid.id, amount: 200 })).status).toBe(200);
    expect((await raw(h, 'POST', '/v1/refunds', { payment_intent: kwdPaid.id, amount: 1010 })).status).toBe(200);
  });
});

describe.each([
  ['/v1/refunds', 'RefundListParams'],
  ['/v1/disputes', 'DisputeListParams'],
])('GET %s', (path) => {
  it('accepts what the processor sends', async () => {
    const answer = await raw(h, 'GET', path, { payment_intent: paid.id, limit: 100 });
    expect(answer.body).toMatchObject({ object: 'list' });
  });
  const refusals: Refusal[] = [
    { what: 'an unknown query parameter', params: { status: 'succeeded' }, param: 'status', code: UNKNOWN },
    { what: 'unknown in created', params: { created: { since: '1' } }, param: 'created[since]', code: UNKNOWN },
    { what: 'a bad limit', params: { limit: '1e2' }, param: 'limit', code: 'parameter_invalid_integer', message: /^Invalid integer: 1e2$/ },
    { what: 'a hash for payment_intent', params: { payment_intent: { id: 'x' } }, param: 'payment_intent', code: null },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'GET', path, refusal.params), refusal);
  });
});

describe('GET /v1/charges/:id', () => {
  it('accepts what the processor sends', async () => {
    const answer = await raw(h, 'GET', `/v1/charges/${String(paid.latest_charge)}`);
    expect(answer.body).toMatchObject({ object: 'charge' });
  });
  const refusals: Refusal[] = [
    { what: 'an unknown query parameter', params: { refunds: 'true' }, param: 'refunds', code: UNKNOWN },
    { what: 'expand as a hash', params: { expand: { refunds: 'true' } }, param: 'expand', code: null },
  ];
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'GET', `/v1/charges/${String(paid.latest_charge)}`, refusal.params), refusal);
  });
});

describe('POST /v1/charges/:id', () => {
  it('refuses unknown, malformed and not emulated parameters', async () => {
    const path = `/v1/charges/${String(paid.latest_charge)}`;
    const cases: Refusal[] = [
      { what: '', params: { foo: 'x' }, param: 'foo', code: UNKNOWN },
      { what: '', params: { shipping: { name: 'J', address: { city: 'B', zone: 'x' } } }, param: 'shipping[address][zone]', code: UNKNOWN },
      { what: '', params: { fraud_details: { user_report: 'maybe' } }, param: 'fraud_details[user_report]', code: null },
      { what: '', params: { fraud_details: { user_report: 'safe' } }, param: 'fraud_details[user_report]', code: NOT_EMULATED },
    ]; // prettier-ignore
    for (const refusal of cases) expectRefusal(await raw(h, 'POST', path, refusal.params), refusal);
  });
});

describe('GET /v1/balance', () => {
  it('accepts what the processor sends and refuses anything else', async () => {
    expect((await raw(h, 'GET', '/v1/balance')).body).toMatchObject({ object: 'balance' });
    expectRefusal(await raw(h, 'GET', '/v1/balance', { currency: 'eur' }), {
      what: '',
      params: {},
      param: 'currency',
      code: UNKNOWN,
    });
  });
});
