import type Stripe from 'stripe';
import { bool, int, list, obj, oneOf, type Params } from './form';

type Components = Stripe.CustomerSession.Components;
type Filter = Stripe.CustomerSession.Components.PaymentElement.Features.PaymentMethodAllowRedisplayFilter;

const TOGGLE = ['disabled', 'enabled'] as const;
const FILTERS: readonly Filter[] = ['always', 'limited', 'unspecified'];

const isEnabled = (params: Params | undefined) => (params ? (bool(params, 'enabled') ?? false) : false);

function filters(features: Params): Filter[] | undefined {
  return list(features, 'payment_method_allow_redisplay_filters')?.filter((value): value is Filter =>
    (FILTERS as readonly string[]).includes(value),
  );
}

/** The Payment Element's features, with Stripe's defaults for what the request left out. */
function paymentElement(params: Params | undefined): Stripe.CustomerSession.Components.PaymentElement {
  if (!isEnabled(params)) return { enabled: false, features: null };
  const features = obj(params!, 'features') ?? {};
  return {
    enabled: true,
    features: {
      // Without filters the Payment Element shows only methods saved with allow_redisplay=always.
      payment_method_allow_redisplay_filters: filters(features) ?? ['always'],
      payment_method_redisplay: oneOf(features, 'payment_method_redisplay', TOGGLE) ?? 'disabled',
      payment_method_redisplay_limit: int(features, 'payment_method_redisplay_limit', { min: 1 }) ?? 3,
      payment_method_remove: oneOf(features, 'payment_method_remove', TOGGLE) ?? 'disabled',
      payment_method_save: oneOf(features, 'payment_method_save', TOGGLE) ?? 'disabled',
      payment_method_save_usage:
        oneOf(features, 'payment_method_save_usage', ['off_session', 'on_session'] as const) ?? null,
    },
  };
}

function mobilePaymentElement(params: Params | undefined): Stripe.CustomerSession.Components.MobilePaymentElement {
  if (!isEnabled(params)) return { enabled: false, features: null };
  const features = obj(params!, 'features') ?? {};
  return {
    enabled: true,
    features: {
      payment_method_allow_redisplay_filters: filters(features) ?? null,
      payment_method_redisplay: oneOf(features, 'payment_method_redisplay', TOGGLE) ?? null,
      payment_method_remove: oneOf(features, 'payment_method_remove', TOGGLE) ?? null,
      payment_method_save: oneOf(features, 'payment_method_save', TOGGLE) ?? null,
      payment_method_save_allow_redisplay_override:
        oneOf(features, 'payment_method_save_allow_redisplay_override', FILTERS) ?? null,
    },
  };
}

function customerSheet(params: Params | undefined): Stripe.CustomerSession.Components.CustomerSheet {
  if (!isEnabled(params)) return { enabled: false, features: null };
  const features = obj(params!, 'features') ?? {};
  return {
    enabled: true,
    features: {
      payment_method_allow_redisplay_filters: filters(features) ?? null,
      payment_method_remove: oneOf(features, 'payment_method_remove', TOGGLE) ?? null,
    },
  };
}

/**
 * A customer session's `components` as Stripe returns them: every component, enabled or not,
 * each built field by field from what the request asked (nothing else is echoed back).
 */
export function sessionComponents(params: Params): Components {
  const component = (name: string) => obj(params, name);
  return {
    active_entitlements: { enabled: isEnabled(component('active_entitlements')) },
    buy_button: { enabled: isEnabled(component('buy_button')) },
    customer_portal: { enabled: isEnabled(component('customer_portal')) },
    customer_sheet: customerSheet(component('customer_sheet')),
    mobile_payment_element: mobilePaymentElement(component('mobile_payment_element')),
    payment_element: paymentElement(component('payment_element')),
    pricing_table: { enabled: isEnabled(component('pricing_table')) },
  };
}
