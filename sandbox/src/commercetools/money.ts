const digitsByCurrency = new Map<string, number>();

/** ISO 4217 minor-unit digits, as the platform uses for cent-precision money (a formatter is costly: kept). */
export function currencyFractionDigits(currencyCode: string): number {
  let digits = digitsByCurrency.get(currencyCode);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat('en', { style: 'currency', currency: currencyCode }).resolvedOptions()
        .maximumFractionDigits ?? 2;
    digitsByCurrency.set(currencyCode, digits);
  }
  return digits;
}

type CentMoney = { centAmount: number; currencyCode: string; fractionDigits: number };
type ShippingInfo = { price?: CentMoney; discountedPrice?: { value: CentMoney } };
interface CartLike {
  totalPrice?: CentMoney;
  lineItems?: { totalPrice: CentMoney }[];
  customLineItems?: { totalPrice: CentMoney }[];
  shippingMode?: string;
  shippingInfo?: ShippingInfo;
  shipping?: { shippingInfo?: ShippingInfo }[];
}

function shippingCost(info: ShippingInfo | undefined): number {
  return info?.discountedPrice?.value.centAmount ?? info?.price?.centAmount ?? 0;
}

/**
 * Two money bugs of the mock, fixed on every write of a cart or order through the storage: it
 * creates every cart with `totalPrice.fractionDigits: 0` whatever the currency, and its
 * `totalPrice` leaves out the shipping price. Real commercetools answers the currency's digits
 * and includes shipping, and the payments SDK copies both into payment amounts.
 */
export function fixTotals(resource: unknown): void {
  if (!resource || typeof resource !== 'object' || !('totalPrice' in resource)) return;
  const cart = resource as CartLike;
  const total = cart.totalPrice;
  if (!total || typeof total.currencyCode !== 'string') return;
  total.fractionDigits = currencyFractionDigits(total.currencyCode);
  const items = [...(cart.lineItems ?? []), ...(cart.customLineItems ?? [])].reduce(
    (sum, item) => sum + item.totalPrice.centAmount,
    0,
  );
  const shipping =
    cart.shippingMode === 'Multiple'
      ? (cart.shipping ?? []).reduce((sum, s) => sum + shippingCost(s.shippingInfo), 0)
      : shippingCost(cart.shippingInfo);
  total.centAmount = items + shipping;
}
