import type { Config, ExpressWallet } from '../config/load-config';

/** Payment method types the enabler can build a component for (with Stripe.js or the stand-in). */
export const ENABLER_COMPONENT_TYPES = ['card', 'sepa_debit', 'ideal'] as const;

export interface PaymentComponents {
  dropins: { type: string }[];
  components: { type: string }[];
  express: { type: string }[];
}

/**
 * The `express` types commercetools Checkout knows the wallets by (lower case, as Stripe's own
 * commercetools connector and the payment integration template answer them).
 */
export const EXPRESS_COMPONENT_TYPES: Readonly<Record<ExpressWallet, string>> = {
  applePay: 'applepay',
  googlePay: 'googlepay',
  link: 'link',
};

/**
 * `GET /operations/payment-components`: exactly what the enabler builds and this deployment
 * enables (D14). With automatic payment methods the drop-in offers whatever Stripe enables; the
 * single-method components are listed only when configured explicitly.
 */
export function paymentComponents(config: Config): PaymentComponents {
  const configured = config.stripe.paymentMethodTypes;
  const components = (configured.length > 0 ? configured : ['card']).filter(
    (type): type is (typeof ENABLER_COMPONENT_TYPES)[number] =>
      (ENABLER_COMPONENT_TYPES as readonly string[]).includes(type),
  );
  return {
    dropins: [{ type: 'embedded' }],
    components: components.map((type) => ({ type })),
    // Only the wallets this deployment offers; none when express checkout is off.
    express: config.stripe.expressWallets.map((wallet) => ({ type: EXPRESS_COMPONENT_TYPES[wallet] })),
  };
}
