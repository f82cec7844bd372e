import { startSandbox, type SandboxUrls, type SpawnedService } from '../../src/testing/spawn';
import { apiClient, http, where, type Api } from './helpers';

/**
 * The indexes against the mock's own scan, over HTTP on one store: `where=P` is answered from an
 * index, `where=(P) or (P)` (same meaning, outside the indexed subset) by the scan, and the two
 * answers must be identical (results, order, count, total) after every step of a random history of
 * creates, updates that move indexed values, deletes and refused duplicates.
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

/** A small seeded generator, so that a failing history can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  return { next, pick, chance: (p: number) => next() < p };
}

type Stats = Record<string, { indexed: number; scanned: number }>;
const stats = async () => (await http<{ byType: Stats }>(`${ct}/_sandbox/indexes`)).body.byType;

/** Asks every predicate both ways and expects the same answers, the first from an index. */
async function compare(resource: string, typeId: string, predicates: string[]) {
  for (const predicate of predicates) {
    for (const page of [{}, { limit: 2, offset: 1 }] as Record<string, number>[]) {
      const before = (await stats())[typeId] ?? { indexed: 0, scanned: 0 };
      const indexed = await api('GET', `/${resource}${where(predicate, page)}`);
      const scanned = await api('GET', `/${resource}${where(`(${predicate}) or (${predicate})`, page)}`);
      const after = (await stats())[typeId]!;
      expect({ predicate, page, status: indexed.status, body: indexed.body }).toEqual({
        predicate,
        page,
        status: scanned.status,
        body: scanned.body,
      });
      expect([after.indexed - before.indexed, after.scanned - before.scanned]).toEqual([1, 1]);
    }
  }
}

const money = { currencyCode: 'EUR', centAmount: 500 };

it.each([1, 2, 3])(
  'indexed answers equal the scan through a random history (seed %d)',
  async (seed) => {
    const r = random(seed);
    const tag = `s${seed}-${Date.now().toString(36)}`;
    const keys = [1, 2, 3, 4, 5].map((n) => `${tag}-k${n}`);
    const interfaces = [1, 2, 3].map((n) => `${tag}-pi${n}`);
    const interactions = [1, 2, 3].map((n) => `${tag}-ch${n}`);
    const orderNumbers = [1, 2, 3].map((n) => `${tag}-o${n}`);
    const payments: string[] = [];
    const carts: string[] = [];
    const orders: string[] = [];
    const current = async (resource: string, id: string) => (await api('GET', `/${resource}/${id}`)).body;
    const post = (resource: string, body: { id: string; version: number }, actions: unknown[]) =>
      api('POST', `/${resource}/${body.id}`, { version: body.version, actions });

    const step = async () => {
      const roll = r.next();
      const payment = payments.length > 0 ? r.pick(payments) : undefined;
      const cart = carts.length > 0 ? r.pick(carts) : undefined;
      if (roll < 0.3 || !payment) {
        const res = await api('POST', '/payments', {
          amountPlanned: money,
          ...(r.chance(0.7) ? { key: r.pick(keys) } : {}),
          ...(r.chance(0.7) ? { interfaceId: r.pick(interfaces) } : {}),
          transactions: r.chance(0.5)
            ? [{ type: 'Authorization', amount: money, state: 'Success', interactionId: r.pick(interactions) }]
            : [],
        });
        expect([201, 400]).toContain(res.status);
        if (res.status === 201) payments.push(res.body.id);
      } else if (roll < 0.45) {
        const body = await current('payments', payment);
        const action = r.chance(0.5)
          ? { action: 'setKey', key: r.pick(keys) }
          : { action: 'setInterfaceId', interfaceId: r.pick(interfaces) };
        expect([200, 400]).toContain((await post('payments', body, [action])).status);
      } else if (roll < 0.55) {
        const body = await current('payments', payment);
        const tx = { type: 'Charge', amount: money, state: 'Pending', interactionId: r.pick(interactions) };
        expect((await post('payments', body, [{ action: 'addTransaction', transaction: tx }])).status).toBe(200);
      } else if (roll < 0.65 || !cart) {
        const res = await api('POST', '/carts', { currency: 'EUR', ...(r.chance(0.5) ? { key: r.pick(keys) } : {}) });
        expect([201, 400]).toContain(res.status);
        if (res.status === 201) carts.push(res.body.id);
      } else if (roll < 0.8) {
        const body = await current('carts', cart);
        if (body.cartState !== 'Active') return;
        const action = r.chance(0.7) ? 'addPayment' : 'removePayment';
        const res = await post('carts', body, [{ action, payment: { typeId: 'payment', id: payment } }]);
        expect([200, 400]).toContain(res.status);
      } else if (roll < 0.88) {
        const body = await current('carts', cart);
        const res = await api('POST', '/orders', {
          cart: { typeId: 'cart', id: cart },
          version: body.version,
          ...(r.chance(0.7) ? { orderNumber: r.pick(orderNumbers) } : {}),
        });
        expect([201, 400]).toContain(res.status);
        if (res.status === 201) orders.push(res.body.id);
      } else if (roll < 0.94 && orders.length > 0) {
        const order = await current('orders', r.pick(orders));
        const res = await post('orders', order, [{ action: 'setOrderNumber', orderNumber: r.pick(orderNumbers) }]);
        expect(res.status).toBe(200);
      } else {
        const [resource, list] = r.pick([
          ['payments', payments],
          ['carts', carts],
          ['orders', orders],
        ] as const);
        if (list.length === 0) return;
        const id = list.splice(Math.floor(r.next() * list.length), 1)[0]!;
        const body = await current(resource, id);
        expect((await api('DELETE', `/${resource}/${id}?version=${body.version}`)).status).toBe(200);
      }
    };

    const check = async () => {
      const some = (ids: string[]) => ids.slice(0, 3).map((id) => `"${id}"`);
      const byPayment = [...payments.slice(-3), 'none'].map((id) => `paymentInfo(payments(id="${id}"))`);
      await compare('payments', 'payment', [
        ...keys.map((k) => `key="${k}"`),
        ...interfaces.map((i) => `interfaceId="${i}"`),
        ...interactions.map((i) => `transactions(interactionId="${i}")`),
        `interfaceId in ("${interfaces[0]}", "${interfaces[1]}")`,
        `interfaceId="${interfaces[0]}" and transactions(interactionId="${interactions[0]}")`,
        ...(payments.length > 0 ? [`id in (${some(payments).join(', ')})`, `id="${payments[0]}"`] : []),
      ]);
      await compare('carts', 'cart', [...byPayment, ...keys.slice(0, 2).map((k) => `key="${k}"`)]);
      await compare('orders', 'order', [
        ...byPayment,
        ...orderNumbers.map((n) => `orderNumber="${n}"`),
        ...carts.slice(-3).map((id) => `cart(id="${id}")`),
      ]);
      for (const k of keys) {
        const byKey = await api('GET', `/payments/key=${k}`);
        const scan = await api('GET', `/payments${where(`key="${k}" or key="${k}"`)}`);
        expect(byKey.status === 200 ? [byKey.body] : []).toEqual(scan.body.results);
      }
    };

    for (let round = 0; round < 4; round++) {
      for (let n = 0; n < 25; n++) await step();
      await check();
    }
    // Concurrent writes that move indexed values, then the same checks.
    await Promise.all(Array.from({ length: 10 }, () => step().catch(() => undefined)));
    await check();
  },
  60_000,
);

it('replicated checkouts are indexed like created ones: each copy is found by its own values', async () => {
  const checkout = await http<{ cartId: string; cartVersion: number }>(`${ct}/_sandbox/checkout-session`, {
    json: { withoutSession: true },
  });
  const tag = `rep-${Date.now().toString(36)}`;
  const payment = (
    await api('POST', '/payments', {
      key: `${checkout.body.cartId}-1`,
      interfaceId: `pi_${tag}`,
      amountPlanned: money,
      transactions: [{ type: 'Authorization', amount: money, state: 'Success', interactionId: `pi_${tag}` }],
    })
  ).body;
  const cart = (
    await api('POST', `/carts/${checkout.body.cartId}`, {
      version: checkout.body.cartVersion,
      actions: [{ action: 'addPayment', payment: { typeId: 'payment', id: payment.id } }],
    })
  ).body;
  const created = await api('POST', '/orders', {
    cart: { typeId: 'cart', id: cart.id },
    version: cart.version,
    orderNumber: `${tag}-order`,
  });
  expect(created.status).toBe(201);

  const res = await http<Record<string, number>>(`${ct}/_sandbox/carts/${cart.id}/replicate`, { json: { count: 30 } });
  expect(res.status).toBe(201);
  expect(res.body).toEqual(expect.objectContaining({ count: 30, carts: 30, payments: 30, orders: 30 }));

  const copies = await api('GET', `/payments${where(`interfaceId="pi_${tag}-r17"`)}`);
  expect(copies.body.count).toBe(1);
  const copy = copies.body.results[0];
  expect(copy.id).not.toBe(payment.id);
  expect(copy.key).not.toBe(payment.key);
  expect(copy.transactions[0].interactionId).toBe(`pi_${tag}-r17`);
  const order = await api('GET', `/orders${where(`paymentInfo(payments(id="${copy.id}"))`)}`);
  expect(order.body.results.map((o: { orderNumber: string }) => o.orderNumber)).toEqual([`${tag}-order-r17`]);
  const copiedCart = await api('GET', `/carts${where(`paymentInfo(payments(id="${copy.id}"))`)}`);
  expect(copiedCart.body.results[0].id).toBe(order.body.results[0].cart.id);
  const duplicate = await api('POST', '/payments', { amountPlanned: money, key: copy.key });
  expect(duplicate.status).toBe(400);
  await compare('payments', 'payment', [`interfaceId="pi_${tag}-r3"`, `key="${copy.key}"`]);
  expect((await http(`${ct}/_sandbox/carts/nope/replicate`, { json: { count: 1 } })).status).toBe(404);
  expect((await http(`${ct}/_sandbox/carts/${cart.id}/replicate`, { json: { count: 0 } })).status).toBe(400);
});
