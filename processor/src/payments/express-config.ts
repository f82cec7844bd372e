import type { Cart, LocalizedString, TypedMoney } from '@commercetools/platform-sdk';
import type { Config, ExpressWallet } from '../config/load-config';
import type { PaymentsDeps } from '../core/deps';
import { MoneyError, toStripeAmount } from '../core/money';
import { present } from '../core/present';
import type { CheckoutContext } from './checkout-context';
import { expressPaymentMethodTypes, unpaidAmountOf } from './element-config';

export type WalletSetting = 'auto' | 'never';

export interface ExpressLineItem {
  name: string;
  /** Gross, in Stripe's minor unit; negative for a discount. */
  amount: number;
}

export interface ExpressConfig {
  cartInfo: { amount: number; currency: string };
  countryCode?: string;
  captureMethod: Config['stripe']['captureMethod'];
  paymentMethodTypes: string[];
  wallets: Record<ExpressWallet, WalletSetting>;
  lineItems: ExpressLineItem[];
  shippingRate?: { id: string; displayName: string; amount: number };
}

/** A localized name in the cart's language, else its language without region, else English, else any. */
export function localized(name: LocalizedString | undefined, locale: string | undefined): string | undefined {
  if (!name) return undefined;
  const language = locale?.split('-')[0];
  const candidates = [locale, language, 'en'].filter((l): l is string => !!l);
  for (const candidate of candidates) {
    const hit = Object.entries(name).find(([key]) => key.toLowerCase() === candidate.toLowerCase());
    if (hit?.[1]) return hit[1];
  }
  return Object.values(name).find(Boolean);
}

const gross = (taxed: { totalGross: TypedMoney } | undefined, net: TypedMoney): TypedMoney => taxed?.totalGross ?? net;

/**
 * The cart's lines as the wallet sheet shows them: line items and custom line items (gross),
 * the shipping method, and the discount on the total as a negative line. Their sum must be the
 * amount charged: when it is not (another payment already approved, a gift card, a rounding the
 * cart does not show), no lines are answered rather than lines that do not add up.
 */
function lineItemsOf(cart: Cart, amount: number): ExpressLineItem[] {
  const locale = cart.locale;
  try {
    const stripe = (money: TypedMoney) => toStripeAmount(money).amount;
    const lines: ExpressLineItem[] = [
      ...cart.lineItems.map((item) => ({
        name: localized(item.name, locale) ?? item.variant.sku ?? 'Item',
        amount: stripe(gross(item.taxedPrice, item.totalPrice)),
      })),
      ...cart.customLineItems.map((item) => ({
        name: localized(item.name, locale) ?? item.slug,
        amount: stripe(gross(item.taxedPrice, item.totalPrice)),
      })),
      ...(cart.shippingInfo
        ? [
            {
              name: cart.shippingInfo.shippingMethodName,
              amount: stripe(gross(cart.shippingInfo.taxedPrice, cart.shippingInfo.price)),
            },
          ]
        : []),
      ...(cart.discountOnTotalPrice
        ? [
            {
              name: 'Discount',
              amount: -stripe(
                cart.discountOnTotalPrice.discountedGrossAmount ?? cart.discountOnTotalPrice.discountedAmount,
              ),
            },
          ]
        : []),
    ];
    const sum = lines.reduce((total, line) => total + line.amount, 0);
    return sum === amount ? lines : [];
  } catch (error) {
    if (error instanceof MoneyError) return [];
    throw error;
  }
}

function shippingRateOf(cart: Cart): ExpressConfig['shippingRate'] {
  const info = cart.shippingInfo;
  if (!info?.shippingMethod) return undefined;
  try {
    return {
      id: info.shippingMethod.id,
      displayName: info.shippingMethodName,
      amount: toStripeAmount(gross(info.taxedPrice, info.price)).amount,
    };
  } catch (error) {
    if (error instanceof MoneyError) return undefined;
    throw error;
  }
}

/**
 * `GET /express-config`: what the enabler needs to build the Express Checkout Element, from one
 * read of the session's cart. The amount follows the rules of `/config-element` (what is left to
 * pay, less the session's gift card), in Stripe's minor unit.
 */
export async function expressConfig(deps: PaymentsDeps, ctx: CheckoutContext): Promise<ExpressConfig> {
  const { stripe } = deps.config;
  const types = expressPaymentMethodTypes(deps.config);
  const cart = await deps.ct.getCartWithPayments(ctx.cartId);
  const money = toStripeAmount(unpaidAmountOf(cart, ctx));
  const on = (wallet: ExpressWallet): WalletSetting => (stripe.expressWallets.includes(wallet) ? 'auto' : 'never');
  return {
    cartInfo: { amount: money.amount, currency: money.currency },
    ...present({ countryCode: cart.shippingAddress?.country || cart.billingAddress?.country || cart.country }),
    captureMethod: stripe.captureMethod,
    paymentMethodTypes: [...types],
    wallets: { applePay: on('applePay'), googlePay: on('googlePay'), link: on('link') },
    lineItems: lineItemsOf(cart, money.amount),
    ...present({ shippingRate: shippingRateOf(cart) }),
  };
}
