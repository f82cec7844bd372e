import type { ApiCall } from './seed';
import { SEED } from './seed';
import type { SessionStore } from './sessions';

/** Country used for the cart's addresses and taxes, per currency of the seed data. */
const COUNTRY_BY_CURRENCY: Record<string, string> = { EUR: 'DE', USD: 'US', GBP: 'GB', JPY: 'JP', KWD: 'KW' };

export interface CheckoutDraft {
  currency?: string;
  quantity?: number;
  country?: string;
  email?: string;
  customerId?: string;
  /** Session metadata (processorUrl, allowedPaymentMethods, futureOrderNumber, ...). */
  metadata?: Record<string, unknown>;
  lifetimeMinutes?: number;
  /** Create only the cart, no session. */
  withoutSession?: boolean;
  /**
   * A recurring cart: its line item gets `recurrenceInfo` (the seed's monthly recurrence policy,
   * `priceSelectionMode: 'Fixed'`) and the cart a customer, `customerId` or else the customer with
   * the cart's email (made if there is none), which is what the payments SDK's `isRecurringCart` reads.
   */
  recurring?: boolean;
}

export interface CheckoutResult {
  cartId: string;
  cartVersion: number;
  /** The cart's customer (given, or the one a recurring cart got). */
  customerId?: string;
  sessionId?: string;
  amountPlanned: { centAmount: number; currencyCode: string; fractionDigits: number };
}

export class CheckoutDraftError extends Error {}

function validate(draft: CheckoutDraft): Required<Pick<CheckoutDraft, 'currency' | 'quantity' | 'country'>> {
  const currency = (draft.currency ?? 'EUR').toUpperCase();
  const errors: string[] = [];
  if (!(currency in SEED.prices)) errors.push(`currency must be one of ${Object.keys(SEED.prices).join(', ')}`);
  const quantity = draft.quantity ?? 1;
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > 1000)
    errors.push('quantity must be an integer from 1 to 1000');
  const country = draft.country ?? COUNTRY_BY_CURRENCY[currency] ?? 'DE';
  const zone = SEED.zones.find((z) => (z.countries as readonly string[]).includes(country));
  if (!zone) errors.push(`country ${country} is not shipped to`);
  else if (!(currency in zone.rates)) errors.push(`no shipping rate for ${currency} in ${country}`);
  if (
    draft.metadata !== undefined &&
    (typeof draft.metadata !== 'object' || draft.metadata === null || Array.isArray(draft.metadata))
  )
    errors.push('metadata must be an object');
  if (draft.recurring !== undefined && typeof draft.recurring !== 'boolean') errors.push('recurring must be a boolean');
  if (errors.length > 0) throw new CheckoutDraftError(errors.join('; '));
  return { currency, quantity, country };
}

/**
 * Creates a cart ready to pay (line item, shipping and billing address, shipping method,
 * external taxes) and, unless told otherwise, a checkout session for it.
 */
export async function createCheckout(
  api: ApiCall,
  sessions: SessionStore,
  draft: CheckoutDraft,
  defaultMetadata: Record<string, unknown>,
): Promise<CheckoutResult> {
  const { currency, quantity, country } = validate(draft);
  const taxRate = { name: `${country} VAT`, amount: SEED.taxRate, country, includedInPrice: true };
  const address = {
    key: 'main',
    firstName: 'Sandra',
    lastName: 'Box',
    streetName: 'Sandbox Street',
    streetNumber: '1',
    postalCode: '10115',
    city: 'Berlin',
    country,
    email: draft.email ?? 'shopper@example.com',
  };
  const email = draft.email ?? 'shopper@example.com';
  const customerId = draft.customerId ?? (draft.recurring ? await customerWithEmail(api, email) : undefined);
  const cart = await api<{
    id: string;
    version: number;
    totalPrice: { centAmount: number; currencyCode: string; fractionDigits: number };
    taxedPrice?: { totalGross: { centAmount: number; currencyCode: string; fractionDigits: number } };
  }>('POST', '/carts', {
    currency,
    country,
    customerEmail: draft.email ?? 'shopper@example.com',
    ...(customerId ? { customerId } : {}),
    taxMode: 'External',
    lineItems: [
      {
        sku: SEED.sku,
        quantity,
        externalTaxRate: taxRate,
        ...(draft.recurring
          ? {
              recurrenceInfo: {
                recurrencePolicy: { typeId: 'recurrence-policy', key: SEED.recurrencePolicyKey },
                priceSelectionMode: 'Fixed',
              },
            }
          : {}),
      },
    ],
    shippingAddress: address,
    billingAddress: address,
    shippingMethod: { typeId: 'shipping-method', key: SEED.shippingMethodKey },
    externalTaxRateForShippingMethod: taxRate,
  });
  const gross = cart.taxedPrice?.totalGross ?? cart.totalPrice;
  const result: CheckoutResult = {
    cartId: cart.id,
    cartVersion: cart.version,
    ...(customerId ? { customerId } : {}),
    amountPlanned: {
      centAmount: gross.centAmount,
      currencyCode: gross.currencyCode,
      fractionDigits: gross.fractionDigits,
    },
  };
  if (draft.withoutSession) return result;
  const session = sessions.create(cart.id, { ...defaultMetadata, ...(draft.metadata ?? {}) }, draft.lifetimeMinutes);
  return { ...result, sessionId: session.id };
}

/** The id of the customer with `email`, made if there is none. */
async function customerWithEmail(api: ApiCall, email: string): Promise<string> {
  const where = encodeURIComponent(`email = ${JSON.stringify(email)}`);
  const found = await api<{ results: { id: string }[] }>('GET', `/customers?where=${where}&limit=1`);
  if (found.results[0]) return found.results[0].id;
  try {
    const created = await api<{ customer: { id: string } }>('POST', '/customers', {
      email,
      firstName: 'Sandra',
      lastName: 'Box',
      password: 'sandbox',
    });
    return created.customer.id;
  } catch (err) {
    // Made meanwhile by a concurrent checkout with the same email.
    const again = await api<{ results: { id: string }[] }>('GET', `/customers?where=${where}&limit=1`);
    if (again.results[0]) return again.results[0].id;
    throw err;
  }
}
