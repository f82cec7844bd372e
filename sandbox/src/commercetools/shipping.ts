import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };

interface Money {
  currencyCode: string;
  centAmount: number;
}
interface ShippingRate {
  price: Money;
  freeAbove?: Money;
  tiers?: unknown[];
  isMatching?: boolean;
}
interface ZoneRate {
  zone: { typeId: 'zone'; id: string };
  shippingRates: ShippingRate[];
}
interface ShippingMethod {
  id: string;
  isDefault?: boolean;
  active?: boolean;
  zoneRates: ZoneRate[];
}
interface TaxRate {
  name: string;
  amount: number;
  includedInPrice: boolean;
  country: string;
  state?: string;
}
interface Cart {
  id: string;
  taxMode?: string;
  shippingMode?: string;
  totalPrice: Money;
  shippingAddress?: { country?: string };
  shippingInfo?: {
    shippingMethod?: { id: string };
    shippingMethodState?: string;
    taxRate?: TaxRate;
  };
}
type Action = { action?: string; address?: { country?: string } | null };

/** The zones whose locations include the country (a country is in one zone at most in commercetools). */
async function zonesOf(storage: InMemoryStorage, projectKey: string, country: string): Promise<Set<string>> {
  const zones = await storage.query(projectKey, 'zone', { where: [`locations(country="${country}")`], limit: 500 });
  return new Set(zones.results.map((zone) => zone.id));
}

/**
 * The shipping method as commercetools answers it for a cart: only the zone rates of the shipping
 * address's zone, only the rates in the cart's currency, and exactly one of them (the first)
 * `isMatching`. Undefined when the method cannot ship the cart.
 */
function matchFor(method: ShippingMethod, zones: Set<string>, currency: string): ShippingMethod | undefined {
  if (method.active === false) return undefined;
  let matched = false;
  const zoneRates = method.zoneRates
    .filter((zoneRate) => zones.has(zoneRate.zone.id))
    .map((zoneRate) => ({
      ...zoneRate,
      shippingRates: zoneRate.shippingRates
        .filter((rate) => rate.price.currencyCode === currency)
        .map((rate) => {
          const isMatching = !matched;
          matched = true;
          return { ...rate, isMatching };
        }),
    }))
    .filter((zoneRate) => zoneRate.shippingRates.length > 0);
  return zoneRates.length > 0 ? { ...method, zoneRates } : undefined;
}

const path = (request: FastifyRequest) => request.url.split('?')[0] ?? '';

/**
 * Shipping as commercetools computes it, where the mock differs:
 *
 * - `GET /{projectKey}/shipping-methods/matching-cart?cartId=…`: the mock keeps the zone rates of
 *   every zone that has a rate in the cart's currency, also zones the shipping address is not in,
 *   and marks every rate in the currency as matching. commercetools answers the methods that ship
 *   to the address's zone in the cart's currency, with that zone's rates in that currency only, one
 *   of them `isMatching`, the project's default method first.
 * - `setShippingAddress` on a cart with a shipping method: commercetools recalculates the shipping
 *   price for the new address (and the cart's total and taxes with it), or marks the shipping info
 *   `DoesNotMatchCart` when the method does not ship there. The mock keeps the old price. Here the
 *   update sets the cart's own shipping method again after the address (same method, same tax
 *   rate), so the mock prices it for the new address within the same update (the mock counts it as
 *   one more action in the cart's version).
 */
export function installShippingRules(app: FastifyInstance, storage: InMemoryStorage, projectKey: string): void {
  const matchingPath = `/${projectKey}/shipping-methods/matching-cart`;
  const cartPath = new RegExp(`^/${projectKey}/carts/([^/]+)$`);

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'GET' || path(request) !== matchingPath || reply.statusCode !== 200) return payload;
    if (typeof payload !== 'string') return payload;
    const cartId = (request.query as { cartId?: string }).cartId;
    const cart = cartId ? ((await storage.get(projectKey, 'cart', cartId)) as unknown as Cart | null) : null;
    const country = cart?.shippingAddress?.country;
    if (!cart || !country) return payload;
    const answer = JSON.parse(payload) as { results: ShippingMethod[]; count: number; total?: number };
    const zones = await zonesOf(storage, projectKey, country);
    // The mock's filtered view lost the other zones' rates; match against the stored methods.
    const results: ShippingMethod[] = [];
    for (const shown of answer.results) {
      const stored = (await storage.get(projectKey, 'shipping-method', shown.id)) as unknown as ShippingMethod | null;
      const matched = stored && matchFor(stored, zones, cart.totalPrice.currencyCode);
      if (!matched) continue;
      // Expanded zones (`expand=zoneRates[*].zone`) stay as the mock expanded them.
      const expanded = new Map(shown.zoneRates.map((zoneRate) => [zoneRate.zone.id, zoneRate.zone]));
      results.push({
        ...shown,
        zoneRates: matched.zoneRates.map((zoneRate) => ({
          ...zoneRate,
          zone: expanded.get(zoneRate.zone.id) ?? zoneRate.zone,
        })),
      });
    }
    results.sort((a, b) => Number(Boolean(b.isDefault)) - Number(Boolean(a.isDefault)));
    return JSON.stringify({ ...answer, results, count: results.length, total: results.length });
  });

  app.addHook('preHandler', async (request) => {
    if (request.method !== 'POST') return;
    const cartId = cartPath.exec(path(request))?.[1];
    const body = request.body as { actions?: Action[] } | undefined;
    const actions = body?.actions;
    if (!cartId || !Array.isArray(actions)) return;
    const lastAddress = actions.findLastIndex((a) => a?.action === 'setShippingAddress');
    if (lastAddress < 0 || actions.slice(lastAddress).some((a) => a?.action === 'setShippingMethod')) return;
    const country = actions[lastAddress]?.address?.country;
    const cart = (await storage.get(projectKey, 'cart', cartId)) as unknown as Cart | null;
    const methodId = cart?.shippingInfo?.shippingMethod?.id;
    if (!cart || !methodId || !country || cart.shippingMode === 'Multiple') return;
    const method = (await storage.get(projectKey, 'shipping-method', methodId)) as unknown as ShippingMethod | null;
    const matched =
      method && matchFor(method, await zonesOf(storage, projectKey, country), cart.totalPrice.currencyCode);
    if (!matched) {
      // Marked after the update: the shipping info stays, priced as before, and no longer matches.
      request.shippingDoesNotMatch = true;
      return;
    }
    const external = cart.taxMode === 'External' ? cart.shippingInfo?.taxRate : undefined;
    if (cart.taxMode === 'External' && !external) return;
    const externalTaxRate = external && {
      name: external.name,
      amount: external.amount,
      includedInPrice: external.includedInPrice,
      country: external.country,
      ...(external.state ? { state: external.state } : {}),
    };
    actions.splice(lastAddress + 1, 0, {
      action: 'setShippingMethod',
      shippingMethod: { typeId: 'shipping-method', id: methodId },
      ...(externalTaxRate ? { externalTaxRate } : {}),
    } as Action);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (!request.shippingDoesNotMatch || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    const answered = JSON.parse(payload) as Cart & { version: number };
    const stored = (await storage.get(projectKey, 'cart', answered.id)) as unknown as
      (Cart & { version: number }) | null;
    if (!stored?.shippingInfo || stored.version !== answered.version) return payload;
    stored.shippingInfo.shippingMethodState = 'DoesNotMatchCart';
    await storage.add(projectKey, 'cart', stored as never);
    return JSON.stringify({
      ...answered,
      shippingInfo: { ...answered.shippingInfo, shippingMethodState: 'DoesNotMatchCart' },
    });
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    shippingDoesNotMatch?: boolean;
  }
}
