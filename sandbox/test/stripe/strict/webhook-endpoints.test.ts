import { startEmulator, type EmulatorHarness } from '../harness';
import { expectRefusal, NOT_EMULATED, raw, UNKNOWN, type Form, type Refusal } from './raw';

// The webhook endpoint calls of the processor's post-deploy, pre-undeploy and status check.

let h: EmulatorHarness;
let id: string;
beforeAll(async () => {
  h = await startEmulator();
  id = (
    await h.stripe.webhookEndpoints.create({ url: 'https://example.com/hook', enabled_events: ['charge.succeeded'] })
  ).id;
});
afterAll(() => h.close());

const CREATE: Form = {
  url: 'https://shop.example.com/stripe/webhooks',
  enabled_events: ['payment_intent.succeeded', 'charge.refunded', 'charge.dispute.created'],
  api_version: '2026-10-28.endive',
  metadata: { ct_connector: 'stripe', ct_project_key: 'sandbox' },
  description: 'commercetools Stripe connector',
};

describe('POST /v1/webhook_endpoints', () => {
  it('accepts what the processor sends, and every real event type or *', async () => {
    expect((await raw(h, 'POST', '/v1/webhook_endpoints', CREATE)).body).toMatchObject({ secret: expect.any(String) });
    const all = await raw(h, 'POST', '/v1/webhook_endpoints', { ...CREATE, enabled_events: ['*'] });
    expect(all.body.enabled_events).toEqual(['*']);
  });
  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { events: ['charge.succeeded'] }, param: 'events', code: UNKNOWN },
    { what: 'an event type that does not exist', params: { enabled_events: ['charge.succeeded', 'charge.paid'] }, param: 'enabled_events[1]', code: null, message: /^Invalid enabled_events\[1\]: must be one of \*, account\.application\.authorized, / },
    { what: 'a family pattern Stripe does not take here', params: { enabled_events: ['payment_intent.*'] }, param: 'enabled_events[0]', code: null },
    { what: 'a scalar for enabled_events', params: { enabled_events: 'charge.succeeded' }, param: 'enabled_events', code: null, message: /^Invalid array$/ },
    { what: 'a scalar for metadata', params: { metadata: 'x' }, param: 'metadata', code: null, message: /^Invalid hash$/ },
    { what: 'an API version that does not exist', params: { api_version: '2026-10-29.endive' }, param: 'api_version', code: null },
    { what: 'a bad connect', params: { connect: 'yes' }, param: 'connect', code: null, message: /^Invalid boolean: yes$/ },
    { what: 'no url', params: { url: undefined }, param: 'url', code: 'parameter_missing' },
    { what: 'another real API version (not emulated)', params: { api_version: '2025-03-31.basil' }, param: 'api_version', code: NOT_EMULATED, message: /^api_version=2025-03-31\.basil is a real Stripe value the sandbox does not emulate \(it emulates 2026-10-28\.endive\)\.$/ },
    { what: 'connect (not emulated)', params: { connect: 'true' }, param: 'connect', code: NOT_EMULATED },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    const params = Object.fromEntries(
      Object.entries({ ...CREATE, ...refusal.params }).filter(([, v]) => v !== undefined),
    );
    expectRefusal(await raw(h, 'POST', '/v1/webhook_endpoints', params), refusal);
  });
});

describe('POST /v1/webhook_endpoints/:id', () => {
  it('accepts what the processor sends', async () => {
    const params = {
      url: CREATE.url,
      enabled_events: CREATE.enabled_events,
      disabled: 'false',
      metadata: CREATE.metadata,
    };
    expect((await raw(h, 'POST', `/v1/webhook_endpoints/${id}`, params)).body).toMatchObject({ status: 'enabled' });
  });
  const refusals: Refusal[] = [
    { what: 'unknown top-level', params: { api_version: '2026-10-28.endive' }, param: 'api_version', code: UNKNOWN },
    { what: 'a bad boolean', params: { disabled: 'off' }, param: 'disabled', code: null },
    { what: 'an event type that does not exist', params: { enabled_events: ['refund.paid'] }, param: 'enabled_events[0]', code: null },
    { what: 'an empty description (unsetting is not emulated)', params: { description: '' }, param: 'description', code: NOT_EMULATED },
  ]; // prettier-ignore
  it.each(refusals)('refuses $what', async (refusal) => {
    expectRefusal(await raw(h, 'POST', `/v1/webhook_endpoints/${id}`, refusal.params), refusal);
  });
});

describe('reading and deleting webhook endpoints', () => {
  it('accepts what the processor sends', async () => {
    expect((await raw(h, 'GET', '/v1/webhook_endpoints', { limit: 100 })).body).toMatchObject({ object: 'list' });
    expect((await raw(h, 'GET', `/v1/webhook_endpoints/${id}`)).body).toMatchObject({ id });
  });
  it('refuses unknown and malformed query parameters, on DELETE too', async () => {
    const cases: [method: 'GET' | 'DELETE', path: string, refusal: Refusal][] = [
      ['GET', '/v1/webhook_endpoints', { what: '', params: { limit: 'all' }, param: 'limit', code: 'parameter_invalid_integer' }],
      ['GET', '/v1/webhook_endpoints', { what: '', params: { created: { gt: '1' } }, param: 'created', code: UNKNOWN }],
      ['GET', `/v1/webhook_endpoints/${id}`, { what: '', params: { secret: 'true' }, param: 'secret', code: UNKNOWN }],
      ['DELETE', `/v1/webhook_endpoints/${id}`, { what: '', params: { force: 'true' }, param: 'force', code: UNKNOWN }],
    ]; // prettier-ignore
    for (const [method, path, refusal] of cases) expectRefusal(await raw(h, method, path, refusal.params), refusal);
    expect((await raw(h, 'DELETE', `/v1/webhook_endpoints/${id}`)).body).toMatchObject({ deleted: true });
  });
});
