import { randomUUID } from 'node:crypto';
import type { Cart, Order, Payment } from '@commercetools/platform-sdk';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };

export interface ReplicateResult {
  count: number;
  carts: number;
  payments: number;
  orders: number;
  ms: number;
}

export class ReplicateError extends Error {}

interface Checkout {
  cart: Cart;
  payments: Payment[];
  orders: Order[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Stores `count` copies of one finished checkout (its cart, the cart's payments and the orders
 * of the cart) straight into the storage, each with its own ids, payment keys, interface ids and
 * order numbers. A store as large as a long-running project's is built in seconds this way, where
 * as many checkouts through the API would take many minutes; the copies are shaped exactly like
 * what the connector wrote, because they are what it wrote. They go through the storage's writes,
 * so its indexes hold them as they hold what the API writes.
 */
export async function replicateCheckout(
  storage: InMemoryStorage,
  projectKey: string,
  cartId: string,
  count: number,
): Promise<ReplicateResult> {
  const started = performance.now();
  const cart = await storage.get(projectKey, 'cart', cartId);
  if (!cart) throw new ReplicateError(`no cart ${cartId}`);
  const payments: Payment[] = [];
  for (const ref of cart.paymentInfo?.payments ?? []) {
    const payment = await storage.get(projectKey, 'payment', ref.id);
    if (payment) payments.push(payment);
  }
  const orders = (await storage.query(projectKey, 'order', { where: [`cart(id="${cartId}")`], limit: 500 })).results;

  // Every identity of the template, replaced in one pass over its JSON: ids become new UUIDs
  // wherever they occur (references, and keys made from them); other unique values (payment keys,
  // interface ids, order numbers) get a suffix where they are a whole string value.
  const ids = [cart, ...payments, ...orders].map((r) => r.id);
  const values = [...payments.flatMap((p) => [p.key, p.interfaceId]), ...orders.map((o) => o.orderNumber)].filter(
    (v): v is string => typeof v === 'string' && v.length > 0 && !ids.some((id) => v.includes(id)),
  );
  const tokens = [...new Set([...ids, ...values.map((v) => JSON.stringify(v))])].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(tokens.map(escapeRegExp).join('|'), 'g');
  const template = JSON.stringify({ cart, payments, orders } satisfies Checkout);

  for (let i = 1; i <= count; i++) {
    const fresh = new Map(
      tokens.map((t) => [t, UUID.test(t) ? randomUUID() : JSON.stringify(`${JSON.parse(t) as string}-r${i}`)]),
    );
    const copy = JSON.parse(template.replace(pattern, (t) => fresh.get(t) ?? t)) as Checkout;
    // Payments before the cart and orders that reference them, as the API creates them.
    for (const payment of copy.payments) await storage.add(projectKey, 'payment', payment);
    await storage.add(projectKey, 'cart', copy.cart);
    for (const order of copy.orders) await storage.add(projectKey, 'order', order);
    // Other requests (and the event loop) get a turn during a large fill.
    if (i % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return {
    count,
    carts: count,
    payments: count * payments.length,
    orders: count * orders.length,
    ms: Math.round(performance.now() - started),
  };
}
