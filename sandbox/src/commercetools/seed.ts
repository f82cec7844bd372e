/**
 * Seed data of the sandbox project, created through the emulated HTTP API itself so that the
 * mock builds every resource exactly as it would for a client.
 */

export type ApiCall = <T = Record<string, unknown>>(method: 'GET' | 'POST', path: string, body?: unknown) => Promise<T>;

export const SEED = {
  sku: 'SANDBOX-TSHIRT',
  productKey: 'sandbox-tshirt',
  /** The default shipping method, the one every checkout cart gets. */
  shippingMethodKey: 'standard',
  /** A second shipping method a cart can switch to (Europe only). */
  express: { key: 'express', name: 'Express shipping', rates: { EUR: 999, GBP: 899 } as Record<string, number> },
  taxCategoryKey: 'standard',
  /** Unit prices by currency, in minor units. JPY is zero-decimal, KWD three-decimal. */
  prices: { EUR: 2500, USD: 2700, GBP: 2200, JPY: 3000, KWD: 8250 } as Record<string, number>,
  /** Shipping rates by zone and currency, in minor units. */
  zones: [
    {
      key: 'europe',
      name: 'Europe',
      countries: ['DE', 'NL', 'FR', 'BE', 'AT', 'ES', 'IT', 'IE', 'GB'],
      rates: { EUR: 499, GBP: 450 },
    },
    { key: 'north-america', name: 'North America', countries: ['US', 'CA'], rates: { USD: 599 } },
    { key: 'asia', name: 'Asia', countries: ['JP', 'KW'], rates: { JPY: 600, KWD: 1500 } },
  ],
  /** The recurrence policy a recurring checkout cart's line item gets (every month). */
  recurrencePolicyKey: 'monthly',
  /** Tax rate applied to carts (external tax mode: the mock computes no Platform taxes). */
  taxRate: 0.19,
} as const;

export async function seedProject(api: ApiCall): Promise<void> {
  await api('POST', '/tax-categories', {
    key: SEED.taxCategoryKey,
    name: 'Standard',
    rates: SEED.zones.flatMap((zone) =>
      zone.countries.map((country) => ({
        name: `${country} standard`,
        amount: SEED.taxRate,
        includedInPrice: true,
        country,
      })),
    ),
  });

  const zoneRates = [];
  const ids: Record<string, string> = {};
  for (const zone of SEED.zones) {
    const created = await api<{ id: string }>('POST', '/zones', {
      key: zone.key,
      name: zone.name,
      locations: zone.countries.map((country) => ({ country })),
    });
    ids[zone.key] = created.id;
    zoneRates.push({
      zone: { typeId: 'zone', id: created.id },
      shippingRates: Object.entries(zone.rates).map(([currencyCode, centAmount]) => ({
        price: { currencyCode, centAmount },
      })),
    });
  }

  await api('POST', '/shipping-methods', {
    key: SEED.shippingMethodKey,
    name: 'Standard shipping',
    isDefault: true,
    taxCategory: { typeId: 'tax-category', key: SEED.taxCategoryKey },
    zoneRates,
  });

  await api('POST', '/shipping-methods', {
    key: SEED.express.key,
    name: SEED.express.name,
    isDefault: false,
    taxCategory: { typeId: 'tax-category', key: SEED.taxCategoryKey },
    zoneRates: [
      {
        zone: { typeId: 'zone', id: ids.europe },
        shippingRates: Object.entries(SEED.express.rates).map(([currencyCode, centAmount]) => ({
          price: { currencyCode, centAmount },
        })),
      },
    ],
  });

  await api('POST', '/product-types', {
    key: 'apparel',
    name: 'Apparel',
    description: 'Sandbox apparel',
    attributes: [],
  });

  await api('POST', '/products', {
    key: SEED.productKey,
    productType: { typeId: 'product-type', key: 'apparel' },
    name: { en: 'Sandbox T-shirt' },
    slug: { en: 'sandbox-t-shirt' },
    taxCategory: { typeId: 'tax-category', key: SEED.taxCategoryKey },
    masterVariant: {
      sku: SEED.sku,
      key: 'sandbox-tshirt-m',
      prices: Object.entries(SEED.prices).map(([currencyCode, centAmount]) => ({
        value: { currencyCode, centAmount },
      })),
    },
    publish: true,
  });
  await api('POST', '/recurrence-policies', {
    key: SEED.recurrencePolicyKey,
    name: { en: 'Every month' },
    schedule: { type: 'standard', value: 1, intervalUnit: 'Months' },
  });
}
