import { randomUUID } from 'node:crypto';
import { startSandbox, type SandboxUrls, type SpawnedService } from '../../src/testing/spawn';
import { apiClient, clientToken, http, where, type Api } from './helpers';

let sandbox: SpawnedService<SandboxUrls>;
let ct: string;
let api: Api;

beforeAll(async () => {
  sandbox = await startSandbox();
  ct = sandbox.info.commercetools;
  api = await apiClient(ct);
});
afterAll(() => sandbox?.stop());

async function newCustomer(): Promise<string> {
  const res = await api('POST', '/customers', { email: `pm-${randomUUID()}@example.com`, password: 'x' });
  expect(res.status).toBe(201);
  return res.body.customer.id;
}

async function createMethod(customerId: string, extra: Record<string, unknown> = {}) {
  const res = await api('POST', '/payment-methods', {
    customer: { typeId: 'customer', id: customerId },
    paymentInterface: 'stripe',
    method: 'card',
    token: { value: `pm_${randomUUID()}` },
    ...extra,
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('PaymentMethods API', () => {
  it('creates with commercetools defaults, and reads by id and by key', async () => {
    const customerId = await newCustomer();
    const key = `pm-${randomUUID()}`;
    const pm = await createMethod(customerId, { key, name: { en: 'Visa •••• 4242' } });
    expect(pm).toMatchObject({
      id: expect.any(String),
      version: 1,
      key,
      name: { en: 'Visa •••• 4242' },
      customer: { typeId: 'customer', id: customerId },
      paymentInterface: 'stripe',
      method: 'card',
      token: { value: expect.stringMatching(/^pm_/) },
      paymentMethodStatus: 'Active',
      default: false,
      createdAt: expect.any(String),
      lastModifiedAt: expect.any(String),
    });
    expect((await api('GET', `/payment-methods/${pm.id}`)).body).toEqual(pm);
    expect((await api('GET', `/payment-methods/key=${key}`)).body).toEqual(pm);
    const expanded = await api('GET', `/payment-methods/${pm.id}?expand=customer`);
    expect(expanded.body.customer.obj).toMatchObject({ id: customerId });
    expect((await api('GET', `/payment-methods/${randomUUID()}`)).status).toBe(404);
    expect((await api('GET', '/payment-methods/key=nope-nope')).status).toBe(404);
  });

  it('refuses an unknown customer, a duplicate key, malformed fields and an inactive default', async () => {
    const customerId = await newCustomer();
    const unknown = await api('POST', '/payment-methods', { customer: { typeId: 'customer', id: randomUUID() } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ code: 'ReferencedResourceNotFound', typeId: 'customer' });
    const key = `dup-${randomUUID()}`;
    await createMethod(customerId, { key });
    const duplicate = await api('POST', '/payment-methods', { key });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0]).toMatchObject({ code: 'DuplicateField', field: 'key', duplicateValue: key });
    for (const body of [
      { token: 'pm_x' },
      { paymentMethodStatus: 'Gone' },
      { default: 'yes' },
      { key: 'a' },
      { method: 12 },
    ]) {
      const res = await api('POST', '/payment-methods', body);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].code).toBe('InvalidJsonInput');
    }
    const inactiveDefault = await api('POST', '/payment-methods', { default: true, paymentMethodStatus: 'Inactive' });
    expect(inactiveDefault.status).toBe(400);
    expect(inactiveDefault.body.errors[0].code).toBe('InvalidOperation');
  });

  it('answers the queries the payments SDK makes, with the mock predicate engine and the indexes', async () => {
    const customerId = await newCustomer();
    const other = await newCustomer();
    const a = await createMethod(customerId);
    const b = await createMethod(customerId, { paymentMethodStatus: 'Inactive' });
    await createMethod(customerId, { paymentInterface: 'other-psp' });
    await createMethod(other);
    const before = (await http<any>(`${ct}/_sandbox/indexes`)).body.byType['payment-method'] ?? { indexed: 0 };

    const sdkFind = await api(
      'GET',
      `/payment-methods${where(`customer(id="${customerId}") and paymentInterface="stripe"`)}`,
    );
    expect(sdkFind.status).toBe(200);
    expect(sdkFind.body).toMatchObject({ count: 2, total: 2, offset: 0, limit: 20 });
    expect(sdkFind.body.results.map((pm: { id: string }) => pm.id)).toEqual([a.id, b.id]);
    const byToken = await api('GET', `/payment-methods${where(`token(value="${a.token.value}")`)}`);
    expect(byToken.body.results.map((pm: { id: string }) => pm.id)).toEqual([a.id]);
    const active = await api(
      'GET',
      `/payment-methods${where([`customer(id="${customerId}")`, 'paymentMethodStatus="Active"'])}`,
    );
    expect(active.body.results.map((pm: { id: string }) => pm.id)).not.toContain(b.id);
    const exists = await api('GET', `/payment-methods${where(`id="${a.id}" and customer(id="${other}")`)}`);
    expect(exists.body.total).toBe(0);
    const paged = await api('GET', `/payment-methods${where(`customer(id="${customerId}")`, { limit: 1, offset: 1 })}`);
    expect(paged.body).toMatchObject({ count: 1, total: 3, limit: 1, offset: 1 });

    const after = (await http<any>(`${ct}/_sandbox/indexes`)).body.byType['payment-method'];
    expect(after.indexed - before.indexed).toBeGreaterThanOrEqual(5);
    const bad = await api('GET', `/payment-methods${where('customer(id=')}`);
    expect(bad.status).toBe(400);
  });

  it('applies the update actions, counts versions and refuses a stale version', async () => {
    const customerId = await newCustomer();
    const pm = await createMethod(customerId);
    const type = await api('POST', '/types', {
      key: `pm-type-${randomUUID()}`,
      name: { en: 'pm' },
      resourceTypeIds: ['payment-method'],
      fieldDefinitions: [
        { name: 'brand', label: { en: 'brand' }, required: false, type: { name: 'String' }, inputHint: 'SingleLine' },
      ],
    });
    expect(type.status).toBe(201);
    const newKey = `renamed-${randomUUID()}`;
    const updated = await api('POST', `/payment-methods/${pm.id}`, {
      version: 1,
      actions: [
        { action: 'setName', name: { en: 'Mastercard •••• 4444' } },
        { action: 'setDefault', default: true },
        { action: 'setKey', key: newKey },
        { action: 'setMethod', method: 'sepa_debit' },
        { action: 'setCustomType', type: { typeId: 'type', key: type.body.key }, fields: { brand: 'visa' } },
        { action: 'setCustomField', name: 'brand', value: 'mastercard' },
      ],
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      version: 7,
      name: { en: 'Mastercard •••• 4444' },
      default: true,
      key: newKey,
      method: 'sepa_debit',
      custom: { type: { typeId: 'type', id: type.body.id }, fields: { brand: 'mastercard' } },
    });
    const stale = await api('POST', `/payment-methods/${pm.id}`, {
      version: 1,
      actions: [{ action: 'setName', name: { en: 'x' } }],
    });
    expect(stale.status).toBe(409);
    expect(stale.body.errors[0]).toMatchObject({ code: 'ConcurrentModification', currentVersion: 7 });
    const inactiveDefault = await api('POST', `/payment-methods/key=${newKey}`, {
      version: 7,
      actions: [{ action: 'setPaymentMethodStatus', paymentMethodStatus: 'Inactive' }],
    });
    expect(inactiveDefault.status).toBe(400);
    expect(inactiveDefault.body.errors[0].code).toBe('InvalidOperation');
    const deactivated = await api('POST', `/payment-methods/key=${newKey}`, {
      version: 7,
      actions: [
        { action: 'setDefault', default: false },
        { action: 'setPaymentMethodStatus', paymentMethodStatus: 'Inactive' },
        { action: 'setKey' },
      ],
    });
    expect(deactivated.body).toMatchObject({ version: 10, default: false, paymentMethodStatus: 'Inactive' });
    expect(deactivated.body.key).toBeUndefined();
    const unknownAction = await api('POST', `/payment-methods/${pm.id}`, { version: 10, actions: [{ action: 'fly' }] });
    expect(unknownAction.status).toBe(400);
    // The old key is free again.
    await createMethod(customerId, { key: newKey });
  });

  it('serializes concurrent updates of one version: one wins, the other sees a conflict', async () => {
    const pm = await createMethod(await newCustomer());
    const results = await Promise.all(
      ['a', 'b'].map((n) =>
        api('POST', `/payment-methods/${pm.id}`, { version: 1, actions: [{ action: 'setName', name: { en: n } }] }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it('deletes with the current version only', async () => {
    const pm = await createMethod(await newCustomer());
    expect((await api('DELETE', `/payment-methods/${pm.id}`)).status).toBe(400);
    expect((await api('DELETE', `/payment-methods/${pm.id}?version=2`)).status).toBe(409);
    const deleted = await api('DELETE', `/payment-methods/${pm.id}?version=1`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.id).toBe(pm.id);
    expect((await api('GET', `/payment-methods/${pm.id}`)).status).toBe(404);
  });

  it('needs a token with a payment-methods or project scope', async () => {
    expect((await http(`${ct}/sandbox/payment-methods`)).status).toBe(401);
    const viewer = await clientToken(ct, 'view_payment_methods:sandbox');
    const asViewer = (method: string, json?: unknown) =>
      http(`${ct}/sandbox/payment-methods`, {
        method,
        headers: { authorization: `Bearer ${viewer.access_token}` },
        json,
      });
    expect((await asViewer('GET')).status).toBe(200);
    expect((await asViewer('POST', {})).status).toBe(403);
    const manager = await clientToken(ct, 'manage_payment_methods:sandbox');
    const created = await http(`${ct}/sandbox/payment-methods`, {
      headers: { authorization: `Bearer ${manager.access_token}` },
      json: { method: 'card' },
    });
    expect(created.status).toBe(201);
  });
});

describe('recurring carts and Recurring Payment Jobs', () => {
  it('a recurring checkout cart has a customer and a line item with recurrence info', async () => {
    const email = `recurring-${randomUUID()}@example.com`;
    const res = await http<any>(`${ct}/_sandbox/checkout-session`, { json: { recurring: true, email } });
    expect(res.status).toBe(201);
    expect(res.body.customerId).toEqual(expect.any(String));
    const cart = (await api('GET', `/carts/${res.body.cartId}`)).body;
    const policy = (await api('GET', '/recurrence-policies/key=monthly')).body;
    expect(policy).toMatchObject({ key: 'monthly', schedule: { type: 'standard', value: 1, intervalUnit: 'Months' } });
    expect(cart.customerId).toBe(res.body.customerId);
    expect(cart.lineItems[0].recurrenceInfo).toEqual({
      recurrencePolicy: { typeId: 'recurrence-policy', id: policy.id },
      priceSelectionMode: 'Fixed',
    });
    // The same email is the same customer.
    const again = await http<any>(`${ct}/_sandbox/checkout-session`, { json: { recurring: true, email } });
    expect(again.body.customerId).toBe(res.body.customerId);
    const plain = await http<any>(`${ct}/_sandbox/checkout-session`, { json: { withoutSession: true } });
    expect((await api('GET', `/carts/${plain.body.cartId}`)).body.lineItems[0].recurrenceInfo).toBeUndefined();
    expect((await http(`${ct}/_sandbox/checkout-session`, { json: { recurring: 'yes' } })).status).toBe(400);
  });

  it('a cart draft with an unknown recurrence policy is refused', async () => {
    const res = await api('POST', '/carts', {
      currency: 'EUR',
      lineItems: [
        {
          sku: 'SANDBOX-TSHIRT',
          recurrenceInfo: {
            recurrencePolicy: { typeId: 'recurrence-policy', key: 'never' },
            priceSelectionMode: 'Fixed',
          },
        },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('ReferencedResourceNotFound');
  });

  it('creates a job as the payments SDK sends it, reads it and lists jobs by origin payment', async () => {
    const customerId = await newCustomer();
    const pm = await createMethod(customerId);
    const payment = await api('POST', '/payments', { amountPlanned: { currencyCode: 'EUR', centAmount: 1000 } });
    const draft = {
      originPayment: { id: payment.body.id, typeId: 'payment' },
      paymentMethod: { id: pm.id, typeId: 'payment-method' },
      status: { state: 'Initial' },
    };
    const created = await api('POST', '/recurring-payment-jobs', draft);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.any(String),
      version: 1,
      originPayment: { typeId: 'payment', id: payment.body.id },
      paymentMethod: { typeId: 'payment-method', id: pm.id },
      status: { state: 'Initial' },
      createdAt: expect.any(String),
      lastModifiedAt: expect.any(String),
    });
    expect((await api('GET', `/recurring-payment-jobs/${created.body.id}`)).body).toEqual(created.body);
    const listed = await api('GET', `/recurring-payment-jobs${where(`originPayment(id="${payment.body.id}")`)}`);
    expect(listed.body).toMatchObject({ count: 1, total: 1 });
    expect(listed.body.results[0].id).toBe(created.body.id);
    expect((await api('GET', `/recurring-payment-jobs/${randomUUID()}`)).status).toBe(404);
  });

  it('validates the draft: references must exist, both are required, a new job is Initial', async () => {
    const pm = await createMethod(await newCustomer());
    const payment = await api('POST', '/payments', { amountPlanned: { currencyCode: 'EUR', centAmount: 1000 } });
    const origin = { typeId: 'payment', id: payment.body.id };
    const method = { typeId: 'payment-method', id: pm.id };
    const cases: [unknown, number, string][] = [
      [{ paymentMethod: method }, 400, 'RequiredField'],
      [{ originPayment: origin }, 400, 'RequiredField'],
      [
        { originPayment: { typeId: 'payment', id: randomUUID() }, paymentMethod: method },
        400,
        'ReferencedResourceNotFound',
      ],
      [
        { originPayment: origin, paymentMethod: { typeId: 'payment-method', id: randomUUID() } },
        400,
        'ReferencedResourceNotFound',
      ],
      [{ originPayment: origin, paymentMethod: method, status: { state: 'Completed' } }, 400, 'InvalidJsonInput'],
    ];
    for (const [body, status, code] of cases) {
      const res = await api('POST', '/recurring-payment-jobs', body);
      expect([res.status, res.body.errors[0].code]).toEqual([status, code]);
    }
    const token = await clientToken(ct, 'view_recurring_payment_jobs:sandbox');
    const denied = await http(`${ct}/sandbox/recurring-payment-jobs`, {
      headers: { authorization: `Bearer ${token.access_token}` },
      json: { originPayment: origin, paymentMethod: method },
    });
    expect(denied.status).toBe(403);
    expect((await http(`${ct}/sandbox/recurring-payment-jobs`)).status).toBe(401);
  });

  it('reset clears payment methods and jobs', async () => {
    const own = await startSandbox();
    try {
      const ownApi = await apiClient(own.info.commercetools);
      const c = await ownApi('POST', '/customers', { email: 'reset@example.com', password: 'x' });
      const pm = await ownApi('POST', '/payment-methods', { customer: { typeId: 'customer', id: c.body.customer.id } });
      expect(pm.status).toBe(201);
      await http(`${own.info.commercetools}/_sandbox/reset`, { method: 'POST' });
      expect((await ownApi('GET', '/payment-methods')).body.total).toBe(0);
      expect((await ownApi('POST', '/payment-methods', {})).status).toBe(201);
    } finally {
      await own.stop();
    }
  });
});
