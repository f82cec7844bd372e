import { randomUUID } from 'node:crypto';
import { startSandbox, type SandboxUrls, type SpawnedService } from '../../src/testing/spawn';
import { apiClient, http, where, type Api } from './helpers';

/**
 * What commercetools documents for keys, queries by id, key and indexed fields, updates and
 * deletes, answered by the sandbox's indexes (checked through `/_sandbox/indexes`: a query that
 * quietly fell back to a scan would pass these tests without testing the indexes).
 */
let sandbox: SpawnedService<SandboxUrls>;
let ct: string;
let api: Api;

beforeAll(async () => {
  sandbox = await startSandbox();
  ct = sandbox.info.commercetools;
  api = await apiClient(ct);
});
afterAll(() => sandbox?.stop());

const money = { currencyCode: 'EUR', centAmount: 1000 };
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

async function createPayment(draft: Record<string, unknown>) {
  const res = await api('POST', '/payments', { amountPlanned: money, ...draft });
  if (res.status !== 201) throw new Error(`payment create answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as { id: string; version: number; key?: string };
}

async function update(resource: string, target: { id: string; version: number }, actions: unknown[]) {
  return api('POST', `/${resource}/${target.id}`, { version: target.version, actions });
}

/** Per type, how many queries and key reads an index answered and how many scanned. */
async function stats(): Promise<Record<string, { indexed: number; scanned: number }>> {
  const res = await http<{ enabled: boolean; byType: Record<string, { indexed: number; scanned: number }> }>(
    `${ct}/_sandbox/indexes`,
  );
  expect(res.body.enabled).toBe(true);
  return res.body.byType;
}

/** Runs `task` and expects every query and key read it made of `typeId` to be indexed. */
async function indexedOnly<T>(typeId: string, task: () => Promise<T>): Promise<T> {
  const before = (await stats())[typeId] ?? { indexed: 0, scanned: 0 };
  const result = await task();
  const after = (await stats())[typeId] ?? { indexed: 0, scanned: 0 };
  expect(after.scanned).toBe(before.scanned);
  expect(after.indexed).toBeGreaterThan(before.indexed);
  return result;
}

const ids = (body: { results: { id: string }[] }) => body.results.map((r) => r.id);

describe('keys', () => {
  it('refuses a second payment with the same key (400 DuplicateField) and finds the first by key', async () => {
    const key = unique('pay');
    const first = await createPayment({ key });
    await indexedOnly('payment', async () => {
      const again = await api('POST', '/payments', { amountPlanned: money, key });
      expect(again.status).toBe(400);
      expect(again.body.errors[0]).toEqual(
        expect.objectContaining({ code: 'DuplicateField', field: 'key', duplicateValue: key }),
      );
      expect((await api('GET', `/payments/key=${key}`)).body.id).toBe(first.id);
      const found = await api('GET', `/payments${where(`key="${key}"`)}`);
      expect(found.body).toEqual(expect.objectContaining({ count: 1, total: 1 }));
      expect(ids(found.body)).toEqual([first.id]);
    });
  });

  it('applies to other keyed resources too, and of concurrent creates of one key exactly one wins', async () => {
    const key = unique('cart');
    const results = await Promise.all([1, 2, 3].map(() => api('POST', '/carts', { currency: 'EUR', key })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 400, 400]);
    const winner = results.find((r) => r.status === 201)!.body.id;
    expect((await api('GET', `/carts/key=${key}`)).body.id).toBe(winner);
  });

  it('setKey moves a key: the old one is free, the new one finds the payment, taking a used key is refused', async () => {
    const [k1, k2] = [unique('from'), unique('to')];
    const a = await createPayment({ key: k1 });
    const b = await createPayment({ key: unique('other') });
    const moved = await update('payments', a, [{ action: 'setKey', key: k2 }]);
    expect(moved.status).toBe(200);
    await indexedOnly('payment', async () => {
      expect((await api('GET', `/payments/key=${k1}`)).status).toBe(404);
      expect((await api('GET', `/payments/key=${k2}`)).body.id).toBe(a.id);
      expect((await api('GET', `/payments${where(`key="${k1}"`)}`)).body.count).toBe(0);
    });
    expect((await api('POST', '/payments', { amountPlanned: money, key: k1 })).status).toBe(201);
    const taken = await update('payments', b, [{ action: 'setKey', key: k2 }]);
    expect(taken.status).toBe(400);
    expect(taken.body.errors[0].code).toBe('DuplicateField');
    expect((await update('payments', moved.body, [{ action: 'setKey', key: k2 }])).status).toBe(200);
    expect((await api('POST', `/payments/key=${k2}`, { version: moved.body.version, actions: [] })).status).toBe(200);
  });

  it('a deleted payment is gone by id, key and query, and its key is free again', async () => {
    const key = unique('gone');
    const interfaceId = unique('pi');
    const payment = await createPayment({ key, interfaceId });
    expect((await api('DELETE', `/payments/${payment.id}?version=${payment.version}`)).status).toBe(200);
    await indexedOnly('payment', async () => {
      expect((await api('GET', `/payments/key=${key}`)).status).toBe(404);
      expect((await api('GET', `/payments${where(`interfaceId="${interfaceId}"`)}`)).body.count).toBe(0);
      expect((await api('GET', `/payments${where(`id="${payment.id}"`)}`)).body.count).toBe(0);
    });
    expect((await api('GET', `/payments/${payment.id}`)).status).toBe(404);
    expect((await api('POST', '/payments', { amountPlanned: money, key })).status).toBe(201);
  });
});

describe('queries the connector makes', () => {
  it('finds payments by id, by ids, by interface id and by transaction interaction id, in creation order', async () => {
    const interfaceId = unique('pi');
    const a = await createPayment({ interfaceId });
    const b = await createPayment({
      interfaceId,
      transactions: [{ type: 'Authorization', amount: money, state: 'Success', interactionId: `${interfaceId}-ch` }],
    });
    await createPayment({ interfaceId: unique('pi') });
    await indexedOnly('payment', async () => {
      expect(ids((await api('GET', `/payments${where(`id="${b.id}"`)}`)).body)).toEqual([b.id]);
      expect(ids((await api('GET', `/payments${where(`id in ("${b.id}", "${a.id}")`)}`)).body)).toEqual([a.id, b.id]);
      expect(ids((await api('GET', `/payments${where(`interfaceId="${interfaceId}"`)}`)).body)).toEqual([a.id, b.id]);
      const paged = await api('GET', `/payments${where(`interfaceId="${interfaceId}"`, { limit: 1, offset: 1 })}`);
      expect(paged.body).toEqual(expect.objectContaining({ count: 1, total: 2, offset: 1, limit: 1 }));
      expect(ids(paged.body)).toEqual([b.id]);
      const byTx = await api('GET', `/payments${where(`transactions(interactionId="${interfaceId}-ch")`)}`);
      expect(ids(byTx.body)).toEqual([b.id]);
      const both = await api('GET', `/payments${where([`interfaceId="${interfaceId}"`, `id="${a.id}"`])}`);
      expect(ids(both.body)).toEqual([a.id]);
    });
  });

  it('finds the cart and the order of a payment, and the order of a cart; removing the payment updates the answer', async () => {
    const payment = await createPayment({ interfaceId: unique('pi') });
    const other = await createPayment({});
    let cart = (await api('POST', '/carts', { currency: 'EUR' })).body;
    cart = (
      await update('carts', cart, [
        { action: 'addPayment', payment: { typeId: 'payment', id: other.id } },
        { action: 'addPayment', payment: { typeId: 'payment', id: payment.id } },
      ])
    ).body;
    const byPayment = (id: string) => `paymentInfo(payments(id = "${id}"))`;
    await indexedOnly('cart', async () => {
      expect(ids((await api('GET', `/carts${where(byPayment(payment.id))}`)).body)).toEqual([cart.id]);
    });
    const order = (await api('POST', '/orders', { cart: { typeId: 'cart', id: cart.id }, version: cart.version })).body;
    await indexedOnly('order', async () => {
      expect(ids((await api('GET', `/orders${where(byPayment(payment.id))}`)).body)).toEqual([order.id]);
      expect(ids((await api('GET', `/orders${where(`cart(id="${cart.id}")`)}`)).body)).toEqual([order.id]);
    });
    const current = (await api('GET', `/carts/${cart.id}`)).body;
    expect(
      (await update('carts', current, [{ action: 'removePayment', payment: { typeId: 'payment', id: payment.id } }]))
        .status,
    ).toBe(200);
    await indexedOnly('cart', async () => {
      expect((await api('GET', `/carts${where(byPayment(payment.id))}`)).body.count).toBe(0);
      expect(ids((await api('GET', `/carts${where(byPayment(other.id))}`)).body)).toEqual([cart.id]);
    });
  });

  it('an update that changes an indexed field is found by its new value at once, not by the old one', async () => {
    const [before, after] = [unique('pi-old'), unique('pi-new')];
    const payment = await createPayment({ interfaceId: before });
    const changed = await update('payments', payment, [{ action: 'setInterfaceId', interfaceId: after }]);
    expect(changed.status).toBe(200);
    await indexedOnly('payment', async () => {
      expect((await api('GET', `/payments${where(`interfaceId="${before}"`)}`)).body.count).toBe(0);
      expect(ids((await api('GET', `/payments${where(`interfaceId="${after}"`)}`)).body)).toEqual([payment.id]);
    });

    const cart = (await api('POST', '/carts', { currency: 'EUR' })).body;
    const [n1, n2] = [unique('order'), unique('order')];
    const order = (
      await api('POST', '/orders', { cart: { typeId: 'cart', id: cart.id }, version: cart.version, orderNumber: n1 })
    ).body;
    expect((await update('orders', order, [{ action: 'setOrderNumber', orderNumber: n2 }])).status).toBe(200);
    await indexedOnly('order', async () => {
      expect((await api('GET', `/orders/order-number=${n1}`)).status).toBe(404);
      expect((await api('GET', `/orders/order-number=${n2}`)).body.id).toBe(order.id);
    });
  });

  it('answers a predicate outside the indexed subset by a scan, with the same answer', async () => {
    const interfaceId = unique('pi');
    const payment = await createPayment({ interfaceId });
    const before = (await stats()).payment!;
    const res = await api('GET', `/payments${where(`interfaceId="${interfaceId}" or interfaceId="none"`)}`);
    expect(ids(res.body)).toEqual([payment.id]);
    expect((await stats()).payment!.scanned).toBe(before.scanned + 1);
    const invalid = await api('GET', `/payments${where('interfaceId=')}`);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].code).toBe('InvalidInput');
  });
});
