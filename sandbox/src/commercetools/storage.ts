import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };

/** ISO 4217 minor-unit digits, as the platform uses for cent-precision money. */
export function currencyFractionDigits(currencyCode: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions()
      .maximumFractionDigits ?? 2
  );
}

type CentMoney = { currencyCode: string; fractionDigits: number };

function fixTotal(resource: unknown): void {
  if (!resource || typeof resource !== 'object' || !('totalPrice' in resource)) return;
  const total = (resource as { totalPrice?: CentMoney }).totalPrice;
  if (total && typeof total.currencyCode === 'string') {
    total.fractionDigits = currencyFractionDigits(total.currencyCode);
  }
}

/**
 * The mock creates every cart with `totalPrice.fractionDigits: 0` whatever the currency (its
 * actions only recompute `centAmount`). Real commercetools answers the currency's digits, and
 * the payments SDK copies that field into payment amounts, so the sandbox fixes carts and
 * orders on every write through the storage (a public option of the mock).
 */
export function createFixedStorage(Base: typeof InMemoryStorage): InMemoryStorage {
  const storage = new Base();
  const add = storage.add.bind(storage);
  storage.add = (async (projectKey: string, typeId: string, obj: unknown, params?: unknown) => {
    if (typeId === 'cart' || typeId === 'order') fixTotal(obj);
    return (add as (...args: unknown[]) => Promise<unknown>)(projectKey, typeId, obj, params);
  }) as InMemoryStorage['add'];
  return storage;
}
