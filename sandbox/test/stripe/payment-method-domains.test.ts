import { APPLE_PAY_UNVERIFIED } from '../../src/stripe/payment-method-domains';
import { startEmulator, stripeError, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeAll(async () => (h = await startEmulator()));
afterAll(() => h.close());

describe('payment method domains', () => {
  it("registers a domain with every payment method active, as Stripe's type has it", async () => {
    const domain = await h.stripe.paymentMethodDomains.create({ domain_name: 'shop.example.com' });
    expect(domain).toEqual({
      id: expect.stringMatching(/^pmd_/),
      object: 'payment_method_domain',
      created: expect.any(Number),
      domain_name: 'shop.example.com',
      enabled: true,
      livemode: false,
      amazon_pay: { status: 'active' },
      apple_pay: { status: 'active' },
      google_pay: { status: 'active' },
      klarna: { status: 'active' },
      link: { status: 'active' },
      paypal: { status: 'active' },
    });
    expect(await h.stripe.paymentMethodDomains.retrieve(domain.id)).toEqual(domain);
  });

  it('creates a disabled one, enables it, lists by domain_name and enabled, pages', async () => {
    const off = await h.stripe.paymentMethodDomains.create({ domain_name: 'off.example.com', enabled: false });
    expect(off.enabled).toBe(false);
    const byName = await h.stripe.paymentMethodDomains.list({ domain_name: 'off.example.com' });
    expect(byName.data.map((d) => d.id)).toEqual([off.id]);
    expect((await h.stripe.paymentMethodDomains.list({ enabled: false })).data.map((d) => d.id)).toEqual([off.id]);
    expect((await h.stripe.paymentMethodDomains.update(off.id, { enabled: true })).enabled).toBe(true);
    expect((await h.stripe.paymentMethodDomains.list({ enabled: false })).data).toEqual([]);

    await h.stripe.paymentMethodDomains.create({ domain_name: 'www.example.com' });
    const first = await h.stripe.paymentMethodDomains.list({ limit: 1 });
    expect(first).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_method_domains' });
    const rest = await h.stripe.paymentMethodDomains.list({ limit: 100, starting_after: first.data[0]!.id });
    expect(rest.data.map((d) => d.id)).not.toContain(first.data[0]!.id);
    const all: string[] = [];
    for await (const domain of h.stripe.paymentMethodDomains.list({ limit: 1 })) all.push(domain.domain_name);
    expect(all.sort()).toEqual(['off.example.com', 'shop.example.com', 'www.example.com']);
  });

  it.each([
    ['a scheme', 'https://shop.example.com'],
    ['a path', 'shop.example.com/checkout'],
    ['a port', 'shop.example.com:8443'],
    ['localhost', 'localhost'],
    ['a subdomain of localhost', 'shop.localhost'],
    ['an IPv4 address', '127.0.0.1'],
    ['an IPv6 address', '[::1]'],
    ['no dot', 'intranet'],
    ['a bad label', 'shop_.example.com'],
  ])('refuses a domain_name with %s (400, param domain_name)', async (_what, domainName) => {
    const error = await stripeError(h.stripe.paymentMethodDomains.create({ domain_name: domainName }));
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError', param: 'domain_name' });
  });

  it('refuses a second registration of the same domain, a missing domain_name, unknown parameters and ids', async () => {
    await h.stripe.paymentMethodDomains.create({ domain_name: 'twice.example.com' });
    expect(await stripeError(h.stripe.paymentMethodDomains.create({ domain_name: 'TWICE.example.com' }))).toMatchObject(
      { statusCode: 400, param: 'domain_name' },
    );
    expect(await stripeError(h.stripe.paymentMethodDomains.create({} as never))).toMatchObject({
      statusCode: 400,
      code: 'parameter_missing',
    });
    expect(
      await stripeError(h.stripe.paymentMethodDomains.create({ domain_name: 'x.example.com', apple_pay: 1 } as never)),
    ).toMatchObject({ statusCode: 400, code: 'parameter_unknown' });
    expect(await stripeError(h.stripe.paymentMethodDomains.retrieve('pmd_nope'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    expect(await stripeError(h.browser.paymentMethodDomains.list())).toMatchObject({ statusCode: 401 });
  });

  it('a sandbox control makes Apple Pay fail its verification; validate checks again once it passes', async () => {
    const domain = await h.stripe.paymentMethodDomains.create({ domain_name: 'apple.example.com' });
    const res = await h.control('/payment_method_domains/apple_pay', {
      domain_name: 'apple.example.com',
      verified: false,
    });
    expect(res.status).toBe(200);
    const unverified = await h.stripe.paymentMethodDomains.retrieve(domain.id);
    expect(unverified.apple_pay).toEqual({
      status: 'inactive',
      status_details: { error_message: APPLE_PAY_UNVERIFIED },
    });
    expect(unverified.google_pay).toEqual({ status: 'active' });
    expect((await h.stripe.paymentMethodDomains.validate(domain.id)).apple_pay.status).toBe('inactive');

    await h.control('/payment_method_domains/apple_pay', { domain_name: 'apple.example.com', verified: true });
    expect((await h.stripe.paymentMethodDomains.validate(domain.id)).apple_pay).toEqual({ status: 'active' });

    // Set before the registration: the domain is registered with Apple Pay inactive, with that message.
    await h.control('/payment_method_domains/apple_pay', {
      domain_name: 'later.example.com',
      verified: false,
      message: 'Apple could not reach the domain.',
    });
    const later = await h.stripe.paymentMethodDomains.create({ domain_name: 'later.example.com' });
    expect(later.apple_pay).toEqual({
      status: 'inactive',
      status_details: { error_message: 'Apple could not reach the domain.' },
    });
    expect((await h.control('/payment_method_domains/apple_pay', { verified: false })).status).toBe(400);
  });
});
