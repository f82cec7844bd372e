import { loadStripe, type Stripe, type StripeElementLocale } from '@stripe/stripe-js';
import { EnablerError } from './errors';
import { translator, type Translator } from './i18n';
import { EXPRESS_TYPES, ExpressCheckoutComponent, type ExpressType } from './express';
import { finish } from './pay';
import { StoredCardComponent } from './stored';
import { PaymentElementComponent } from './payment-element';
import { ProcessorApi } from './processor-api';
import type {
  ComponentOptions,
  DropinOptions,
  DropinType,
  EnablerOptions,
  ExpressOptions,
  PaymentComponentBuilder,
  PaymentExpressBuilder,
  StoredComponentBuilder,
  StoredComponentOptions,
  StoredPaymentMethod,
  PaymentDropinBuilder,
  PaymentResult,
} from './types';

/** Locales the Payment Element knows, from a commercetools locale (`de-DE`, `en`, `pt-BR`, ...). */
const STRIPE_LOCALES = new Set(
  'ar bg cs da de el en en-GB es es-419 et fi fil fr fr-CA he hr hu id it ja ko lt lv ms mt nb nl pl pt pt-BR ro ru sk sl sv th tr vi zh zh-HK zh-TW'.split(
    ' ',
  ),
);

export function stripeLocale(locale?: string): StripeElementLocale | undefined {
  if (!locale) return undefined;
  const [language, region] = locale.replace('_', '-').split('-');
  const exact = region ? `${language!.toLowerCase()}-${region.toUpperCase()}` : language!.toLowerCase();
  if (STRIPE_LOCALES.has(exact)) return exact as StripeElementLocale;
  return STRIPE_LOCALES.has(language!.toLowerCase()) ? (language!.toLowerCase() as StripeElementLocale) : 'auto';
}

/** Payment method types this enabler builds a component for. */
export const COMPONENT_TYPES = ['card', 'sepa_debit', 'ideal'] as const;

export interface EnablerInternals {
  /** Stripe.js, when the page loads it another way (tests, custom loaders). */
  stripe?: Stripe;
}

/**
 * The commercetools enabler: builds the Stripe Payment Element drop-in and single-method
 * components, and talks only to the processor.
 */
export class Enabler {
  private readonly api: ProcessorApi;
  private stripePromise?: Promise<Stripe>;
  private readonly i18n: Translator;
  private storePaymentDetails = false;
  private configPromise?: ReturnType<ProcessorApi['config']>;

  /** `GET /operations/config`, read once. */
  private processorConfig() {
    this.configPromise ??= this.api.config();
    this.configPromise.catch(() => (this.configPromise = undefined));
    return this.configPromise;
  }

  constructor(
    private readonly options: EnablerOptions,
    private readonly internals: EnablerInternals = {},
  ) {
    if (!options?.processorUrl || !options.sessionId)
      throw new EnablerError('processorUrl and sessionId are required.', 'invalid_options');
    this.api = new ProcessorApi(options.processorUrl, options.sessionId);
    this.i18n = translator(options.locale);
  }

  /** Stripe.js for the deployment's publishable key, loaded once. */
  private stripe = (): Promise<Stripe> => {
    this.stripePromise ??= (async () => {
      if (this.internals.stripe) return this.internals.stripe;
      const config = await this.processorConfig();
      const locale = stripeLocale(this.options.locale);
      let stripe: Stripe | null;
      try {
        stripe = await loadStripe(config.publishableKey, locale ? { locale } : undefined);
      } catch (cause) {
        throw new EnablerError(
          `Stripe.js could not be loaded (${cause instanceof Error ? cause.message : String(cause)}).`,
          'stripe_unavailable',
        );
      }
      if (!stripe) throw new EnablerError('Stripe.js could not be loaded.', 'stripe_unavailable');
      return stripe;
    })();
    this.stripePromise.catch(() => (this.stripePromise = undefined));
    return this.stripePromise;
  };

  private component(type: string, view: DropinOptions = {}) {
    const locale = stripeLocale(this.options.locale);
    return new PaymentElementComponent(
      {
        api: this.api,
        stripe: this.stripe,
        options: this.options,
        i18n: this.i18n,
        storePaymentDetails: () => this.storePaymentDetails,
        ...(locale ? { locale } : {}),
      },
      type,
      view,
    );
  }

  async createDropinBuilder(type: DropinType): Promise<PaymentDropinBuilder> {
    if (type !== 'embedded')
      throw new EnablerError(`Drop-in "${type}" is not supported; supported: embedded.`, 'unsupported_dropin');
    return { dropinHasSubmit: true, build: (config?: DropinOptions) => this.component('payment', config) };
  }

  async createComponentBuilder(type: string): Promise<PaymentComponentBuilder> {
    if (!(COMPONENT_TYPES as readonly string[]).includes(type)) {
      throw new EnablerError(
        `Component "${type}" is not supported; supported: ${COMPONENT_TYPES.join(', ')}.`,
        'unsupported_component',
      );
    }
    return { componentHasSubmit: true, build: (config?: ComponentOptions) => this.component(type, config) };
  }

  /** `express` (every wallet the deployment offers), `applepay`, `googlepay` or `link`. */
  async createExpressBuilder(type: string): Promise<PaymentExpressBuilder> {
    if (!Object.hasOwn(EXPRESS_TYPES, type)) {
      throw new EnablerError(
        `Express checkout "${type}" is not supported; supported: ${Object.keys(EXPRESS_TYPES).join(', ')}.`,
        'unsupported_express',
      );
    }
    const locale = stripeLocale(this.options.locale);
    const deps = {
      processorUrl: this.options.processorUrl,
      api: this.api,
      stripe: this.stripe,
      i18n: this.i18n,
      ...(locale ? { locale } : {}),
    };
    return { build: (config: ExpressOptions) => new ExpressCheckoutComponent(deps, type as ExpressType, config) };
  }

  /** A saved card of the shopper: `build({id})` with an id from `getStoredPaymentMethods`. */
  async createStoredPaymentMethodBuilder(type: string): Promise<StoredComponentBuilder> {
    if (type !== 'card')
      throw new EnablerError(
        `Stored payment method "${type}" is not supported; supported: card.`,
        'unsupported_stored_payment_method',
      );
    const deps = {
      api: this.api,
      stripe: this.stripe,
      i18n: this.i18n,
      options: this.options,
      enabled: () => this.isStoredPaymentMethodsEnabled(),
    };
    return {
      componentHasSubmit: true,
      build: (config: StoredComponentOptions) => new StoredCardComponent(deps, config),
    };
  }

  /** Whether the deployment lets shoppers save cards and pay with saved ones. */
  async isStoredPaymentMethodsEnabled(): Promise<boolean> {
    try {
      return (await this.processorConfig()).storedPaymentMethodsEnabled === true;
    } catch {
      return false;
    }
  }

  /** The shopper's saved methods of these types (none for a guest, or when saving is off). */
  async getStoredPaymentMethods({
    allowedMethodTypes,
  }: {
    allowedMethodTypes: string[];
  }): Promise<{ storedPaymentMethods?: StoredPaymentMethod[] }> {
    if (!(await this.isStoredPaymentMethodsEnabled())) return { storedPaymentMethods: [] };
    try {
      const { storedPaymentMethods = [] } = await this.api.storedPaymentMethods();
      return { storedPaymentMethods: storedPaymentMethods.filter((m) => allowedMethodTypes.includes(m.type)) };
    } catch {
      return {};
    }
  }

  /** Whether the next payment saves the shopper's method (a storefront's "save my card" checkbox). */
  setStorePaymentDetails(enabled: boolean): void {
    this.storePaymentDetails = enabled;
  }

  /**
   * After a redirect-based method, the shopper comes back to the merchant return URL with
   * `paymentReference` and Stripe's `payment_intent` in the query: call this there to finish.
   */
  async completeRedirect(url: string = globalThis.location?.href ?? ''): Promise<PaymentResult> {
    const params = new URL(url).searchParams;
    const paymentReference = params.get('paymentReference');
    if (!paymentReference) throw new EnablerError('The return URL has no paymentReference.', 'invalid_return_url');
    const paid = await finish(this.api, this.i18n, paymentReference, params.get('payment_intent') ?? undefined);
    return {
      isSuccess: true,
      paymentReference: paid.paymentReference,
      ...(paid.paymentIntent ? { paymentIntent: paid.paymentIntent } : {}),
      ...(paid.isPending ? { isPending: true } : {}),
    };
  }
}
