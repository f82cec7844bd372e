import type { Config } from '../config/load-config';

/** Payment method types the enabler can build a component for (with Stripe.js or the stand-in). */
export const ENABLER_COMPONENT_TYPES = ['card', 'sepa_debit', 'ideal'] as const;

export interface PaymentComponents {
  dropins: { type: string }[];
  components: { type: string }[];
  express: { type: string }[];
}

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
    express: [],
  };
}
