/**
 * The shape checks bite: a value Stripe's types do not allow is named with its path and rule, an
 * answer or event that diverges becomes a loud 500, and stale schemas are detected.
 */
import type Stripe from 'stripe';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  committedSchemas,
  inputsFingerprint,
  recordedFingerprint,
  staleStripeSchemas,
} from '../../scripts/stripe-schemas/committed';
import { answerSchema, DIVERGENCE_CODE, ShapeChecks } from '../../src/stripe/shape-checks';
import { ShapeValidators } from '../../src/stripe/shapes';
import { startEmulator, type EmulatorHarness } from './harness';

const validators = ShapeValidators.load();

describe('the validators compiled from the schemas', () => {
  let h: EmulatorHarness;
  let charge: Stripe.Charge;
  beforeAll(async () => {
    h = await startEmulator();
    const pi = await h.stripe.paymentIntents.create({
      amount: 1000,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      expand: ['latest_charge'],
    });
    charge = pi.latest_charge as Stripe.Charge;
  });
  afterAll(() => h.close());

  const without = (value: object, field: string) =>
    Object.fromEntries(Object.entries(value).filter(([k]) => k !== field));

  it('accept a charge as the emulator answers it', () => {
    expect(validators.check('Charge', charge)).toBeUndefined();
  });

  it('name a required field that is absent, with its path', () => {
    const card = without(charge.payment_method_details!.card!, 'electronic_commerce_indicator');
    const broken = { ...charge, payment_method_details: { ...charge.payment_method_details, card } };
    expect(validators.check('Charge', broken)).toEqual({
      schema: 'Charge',
      path: '/payment_method_details/card/electronic_commerce_indicator',
      rule: 'required',
      message: 'is required but absent',
    });
  });

  it('refuse a field the type lacks, a value outside an enum, null where the type is not nullable', () => {
    const address = {
      city: 'Berlin',
      country: 'DE',
      line1: 'Street 1',
      line2: null,
      postal_code: '10117',
      state: null,
    };
    expect(
      validators.check('Charge', { ...charge, shipping: { name: 'x', address: { ...address, zip: '1' } } }),
    ).toMatchObject({
      path: '/shipping/address/zip',
      rule: 'additionalProperties',
    });
    expect(validators.check('Charge', { ...charge, status: 'done' })).toMatchObject({ path: '/status', rule: 'enum' });
    expect(validators.check('Charge', { ...charge, amount: null })).toMatchObject({ path: '/amount', rule: 'type' });
    expect(validators.check('Charge', { ...charge, object: 'payment_intent' })).toMatchObject({
      path: '/object',
      rule: 'const',
    });
  });

  it('check an event by its type: the object must be the one that type carries', () => {
    const event = { ...h.emulator.state.events.at(-1)!, type: 'customer.created' };
    expect(validators.check('Event', event)).toMatchObject({
      schema: 'Event',
      path: expect.stringMatching(/^\/data\/object\//),
    });
    expect(validators.check('Event', { ...event, type: 'charge.teleported' })).toMatchObject({ rule: 'discriminator' });
  });
});

describe('an emulator that diverges', () => {
  let h: EmulatorHarness;
  const reported: string[] = [];
  beforeAll(async () => (h = await startEmulator({ onShapeDivergence: (message) => reported.push(message) })));
  afterAll(async () => {
    // The divergences below are deliberate: the harness would fail the suite on them.
    h.emulator.shapes!.divergences.length = 0;
    await h.close();
  });

  const raw = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${h.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${h.emulator.secretKey}`, ...init.headers },
    });
    return { status: res.status, body: (await res.json()) as { error: Record<string, any> } };
  };

  it('answers 500 naming the path and rule instead of a divergent object, and reports it', async () => {
    const pi = await h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
    // As if a builder echoed the request's shipping.
    Object.assign(h.emulator.state.paymentIntents.get(pi.id)!, {
      shipping: { name: 'Jenny', address: { line1: 'Street 1', country: 'DE' } },
    });
    const answer = await raw(`/v1/payment_intents/${pi.id}`);
    expect(answer.status).toBe(500);
    expect(answer.body.error).toMatchObject({
      type: 'api_error',
      code: DIVERGENCE_CODE,
      divergence: { schema: 'PaymentIntent', path: '/shipping/address/city', rule: 'required' },
    });
    expect(answer.body.error.message).toContain('/shipping/address/city is required but absent');
    expect(reported.at(-1)).toContain('the answer to GET /v1/payment_intents/:id');
    expect(h.emulator.shapes!.divergences).toHaveLength(1);
  });

  it('fails the request whose change would emit a divergent event, and records no such event', async () => {
    const customer = await h.stripe.customers.create({ email: 'a@example.com' });
    Object.assign(h.emulator.state.customers.get(customer.id)!, { loyalty: 'gold' });
    const events = h.emulator.state.events.length;
    const answer = await raw(`/v1/customers/${customer.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Jenny',
    });
    expect(answer.status).toBe(500);
    expect(answer.body.error.divergence).toMatchObject({ schema: 'Event', path: '/data/object/loyalty' });
    expect(answer.body.error.message).toContain('a customer.updated event');
    expect(h.emulator.state.events).toHaveLength(events);
  });

  it('counts an answer no schema describes as a divergence (a new kind of object needs its schema)', () => {
    const checks = new ShapeChecks(validators, (message) => reported.push(message));
    expect(checks.answer({ object: 'payout', id: 'po_1' }, false, 'GET /v1/payouts/:id')).toMatchObject({
      schema: 'none',
      rule: 'schema',
    });
    expect(checks.divergences).toHaveLength(1);
    expect(answerSchema({ object: 'list', data: [{ object: 'refund' }] }, false)).toBe('RefundList');
    expect(answerSchema({ object: 'payment_intent' }, true)).toBe('PaymentIntentBrowserView');
    expect(answerSchema({ object: 'customer', deleted: true }, false)).toBe('DeletedCustomer');
  });

  it('checks errors too', async () => {
    const res = await raw('/v1/payment_intents/pi_missing');
    expect(res).toMatchObject({ status: 404, body: { error: { code: 'resource_missing' } } });
    expect(h.emulator.shapes!.checked.get('Error')).toBeGreaterThan(0);
  });
});

describe('the committed schemas', () => {
  it('were generated from the installed stripe package, TypeScript and generator (npm run schemas:stripe -w sandbox)', () => {
    // Regenerating takes seconds; the inputs' fingerprint recorded in roots.json takes milliseconds.
    // `npm run schemas:stripe -w sandbox -- --check` (run by CI) compares the files themselves.
    expect(recordedFingerprint()).toBe(inputsFingerprint());
  });

  it('are found stale when an input changes, e.g. an upgrade of the stripe package', () => {
    const upgraded = (file: string) =>
      file.endsWith(`${path.sep}resources${path.sep}Charges.d.ts`)
        ? Buffer.concat([readFileSync(file), Buffer.from('\n// a new field\n')])
        : readFileSync(file);
    expect(inputsFingerprint(upgraded)).not.toBe(recordedFingerprint());
  });

  it('are found stale when the generated files differ from the committed ones', () => {
    const { 'Refunds.json': refunds, ...rest } = committedSchemas();
    const charges = structuredClone(rest['Charges.json']!) as { $defs: Record<string, object> };
    charges.$defs['Charge'] = { ...charges.$defs['Charge'], title: 'A newer Charge' };
    expect(refunds).toBeDefined();
    expect(staleStripeSchemas(committedSchemas())).toEqual([]);
    expect(staleStripeSchemas({ ...rest, 'Charges.json': charges, 'Payouts.json': {} })).toEqual([
      'Charges.json (changed)',
      'Payouts.json (missing)',
      'Refunds.json (no longer generated)',
    ]);
  });
});
