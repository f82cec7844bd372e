import type { FastifyInstance } from 'fastify';

/** A commercetools API call with the demo's own token: status and JSON body. */
export type CtCall = (
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
) => Promise<{ status: number; body: Record<string, unknown> }>;

interface Address {
  country: string;
  [field: string]: unknown;
}

interface TaxRate {
  name: string;
  amount: number;
  includedInPrice: boolean;
  country: string;
}

interface CartView {
  id: string;
  version: number;
  taxMode?: string;
  shippingAddress?: { country: string };
  lineItems: { taxRate?: TaxRate }[];
  totalPrice: { centAmount: number; currencyCode: string };
  shippingInfo?: { shippingMethod?: { id: string } };
}

interface ShippingMethod {
  id: string;
  name: string;
  localizedName?: Record<string, string>;
  localizedDescription?: Record<string, string>;
  zoneRates: { shippingRates: { price: { centAmount: number; currencyCode: string }; isMatching?: boolean }[] }[];
}

/** Only the fields of a commercetools BaseAddress, as strings. */
function cleanAddress(input: unknown): Address | undefined {
  if (!input || typeof input !== 'object') return undefined;
  const fields = [
    'country',
    'firstName',
    'lastName',
    'streetName',
    'streetNumber',
    'additionalStreetInfo',
    'postalCode',
    'city',
    'state',
    'phone',
    'email',
  ];
  const out: Record<string, string> = {};
  for (const field of fields) {
    const value = (input as Record<string, unknown>)[field];
    if (typeof value === 'string' && value.trim()) out[field] = value.trim().slice(0, 200);
  }
  return out.country && /^[A-Z]{2}$/.test(out.country) ? (out as Address) : undefined;
}

/**
 * What a storefront's own backend does for express checkout (the enabler's ExpressOptions
 * callbacks): the wallet's address and shipping method go on the commercetools cart, and the
 * shipping methods offered are the ones commercetools matches to the cart, with their prices.
 * The processor is not involved: it only reads the cart when the payment is made.
 */
export function registerStorefront(app: FastifyInstance, ct: CtCall): void {
  const cartOf = async (id: string) => {
    const res = await ct('GET', `/carts/${encodeURIComponent(id)}`);
    if (res.status !== 200) throw Object.assign(new Error('cart not found'), { statusCode: res.status });
    return res.body as unknown as CartView;
  };
  /** Update actions against the cart's current version (one retry on a concurrent change). */
  const update = async (id: string, actions: unknown[]) => {
    for (let attempt = 1; ; attempt++) {
      const cart = await cartOf(id);
      const res = await ct('POST', `/carts/${encodeURIComponent(id)}`, { version: cart.version, actions });
      if (res.status === 200 || attempt >= 2 || res.status !== 409) return res;
    }
  };

  app.post<{ Params: { cartId: string }; Body: { address?: unknown } }>(
    '/api/storefront/carts/:cartId/shipping-address',
    async (request, reply) => {
      const address = cleanAddress(request.body?.address);
      if (!address) return reply.code(400).send({ message: 'an address with a two-letter country is required' });
      const res = await update(request.params.cartId, [{ action: 'setShippingAddress', address }]);
      return reply.code(res.status).send(res.body);
    },
  );

  app.get<{ Params: { cartId: string } }>('/api/storefront/carts/:cartId/shipping-methods', async (request, reply) => {
    const cart = await cartOf(request.params.cartId);
    const res = await ct('GET', `/shipping-methods/matching-cart?cartId=${encodeURIComponent(cart.id)}`);
    if (res.status !== 200) return reply.code(res.status).send(res.body);
    const currency = cart.totalPrice.currencyCode;
    const methods = ((res.body.results ?? []) as ShippingMethod[]).flatMap((method) => {
      const rates = method.zoneRates.flatMap((zone) => zone.shippingRates);
      const rate =
        rates.find((r) => r.isMatching && r.price.currencyCode === currency) ??
        rates.find((r) => r.price.currencyCode === currency);
      if (!rate) return [];
      return [
        {
          id: method.id,
          name: method.localizedName?.en ?? method.name,
          ...(method.localizedDescription?.en ? { description: method.localizedDescription.en } : {}),
          isSelected: cart.shippingInfo?.shippingMethod?.id === method.id,
          amount: { centAmount: rate.price.centAmount, currencyCode: rate.price.currencyCode },
        },
      ];
    });
    return methods;
  });

  app.post<{ Params: { cartId: string }; Body: { id?: unknown } }>(
    '/api/storefront/carts/:cartId/shipping-method',
    async (request, reply) => {
      const id = request.body?.id;
      if (typeof id !== 'string' || !id) return reply.code(400).send({ message: 'a shipping method id is required' });
      const cart = await cartOf(request.params.cartId);
      // A cart whose taxes come from outside (the sandbox's) needs the shipping's rate too: this
      // demo's "tax service" gives it the rate of the cart's items, for the shipping country.
      const itemRate = cart.lineItems[0]?.taxRate;
      const externalTaxRate =
        cart.taxMode === 'External' && itemRate
          ? {
              name: itemRate.name,
              amount: itemRate.amount,
              includedInPrice: itemRate.includedInPrice,
              country: cart.shippingAddress?.country ?? itemRate.country,
            }
          : undefined;
      const res = await update(request.params.cartId, [
        {
          action: 'setShippingMethod',
          shippingMethod: { typeId: 'shipping-method', id },
          ...(externalTaxRate ? { externalTaxRate } : {}),
        },
      ]);
      return reply.code(res.status).send(res.body);
    },
  );

  app.post<{
    Params: { cartId: string };
    Body: { shippingAddress?: unknown; billingAddress?: unknown; customerEmail?: unknown };
  }>('/api/storefront/carts/:cartId/submit', async (request, reply) => {
    const shipping = cleanAddress(request.body?.shippingAddress);
    const billing = cleanAddress(request.body?.billingAddress);
    const email = typeof request.body?.customerEmail === 'string' ? request.body.customerEmail.trim() : '';
    const actions = [
      ...(shipping ? [{ action: 'setShippingAddress', address: shipping }] : []),
      ...(billing ? [{ action: 'setBillingAddress', address: billing }] : []),
      ...(email ? [{ action: 'setCustomerEmail', email }] : []),
    ];
    if (actions.length === 0) return (await cartOf(request.params.cartId)) as unknown;
    const res = await update(request.params.cartId, actions);
    return reply.code(res.status).send(res.body);
  });
}
