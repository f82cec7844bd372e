import type { Stripe, StripeElementLocale, StripeElements, StripePaymentElement } from '@stripe/stripe-js';
import { EnablerError } from './errors';
import { type MessageKey, type Translator } from './i18n';
import { renderFrame, type Frame } from './frame';
import { attempt, pay } from './pay';
import type { ElementConfig, ProcessorApi } from './processor-api';
import type { DropinComponent, DropinOptions, EnablerOptions, PaymentState } from './types';

export interface ElementDeps {
  api: ProcessorApi;
  stripe: () => Promise<Stripe>;
  locale?: StripeElementLocale;
  i18n: Translator;
  options: EnablerOptions;
  /** The enabler's `setStorePaymentDetails` choice. */
  storePaymentDetails?: () => boolean;
}

/** Methods Stripe offers only in euros and only with automatic capture. */
const EUR_AUTOMATIC_ONLY = new Set(['sepa_debit', 'ideal', 'bancontact', 'eps', 'giropay', 'p24', 'sofort']);

/**
 * The Stripe Payment Element, for the drop-in (`payment`: every enabled method) or one method
 * type (a component). Every option the processor sends reaches the Element (D21), with the
 * capture method in the camelCase Stripe.js reads (D20). Around it the enabler renders its own
 * status line (a live region) and, when asked, its pay button.
 */
export class PaymentElementComponent implements DropinComponent {
  private elements?: StripeElements;
  private element?: StripePaymentElement;
  private config?: Promise<ElementConfig>;
  private state = { complete: false, type: undefined as string | undefined };
  private card?: PaymentState['card'];
  private paying = false;
  private paid = false;
  private button?: HTMLButtonElement;
  private frame?: Frame;

  constructor(
    private readonly deps: ElementDeps,
    private readonly component: string,
    private readonly view: DropinOptions = {},
  ) {}

  private elementConfig(): Promise<ElementConfig> {
    this.config ??= this.deps.api.elementConfig(this.component);
    this.config.catch(() => (this.config = undefined));
    return this.config;
  }

  async mount(selector: string): Promise<void> {
    const host = typeof document === 'undefined' ? null : document.querySelector(selector);
    if (!host || typeof HTMLElement === 'undefined' || !(host instanceof HTMLElement))
      throw new EnablerError(`No element matches the selector "${selector}".`, 'invalid_selector');
    const [stripe, config] = await Promise.all([this.deps.stripe(), this.elementConfig()]);
    const { countryCode } = this.deps.options;
    this.elements = stripe.elements({
      mode: 'payment',
      amount: config.cartInfo.amount,
      currency: config.cartInfo.currency,
      captureMethod: config.captureMethod,
      ...(config.paymentMethodTypes ? { paymentMethodTypes: config.paymentMethodTypes } : {}),
      ...(config.appearance ? { appearance: config.appearance } : {}),
      // The shopper's saved cards, and the offer to save a new one (when the deployment allows it).
      ...(config.customerSessionClientSecret
        ? { customerSessionClientSecret: config.customerSessionClientSecret }
        : {}),
      ...(this.deps.locale ? { locale: this.deps.locale } : {}),
    } as Parameters<Stripe['elements']>[0]);
    this.element = this.elements.create('payment', {
      layout: config.layout,
      fields: { billingDetails: { address: config.collectBillingAddress } },
      ...(countryCode
        ? { defaultValues: { billingDetails: { address: { country: countryCode.toUpperCase() } } } }
        : {}),
    } as Parameters<StripeElements['create']>[1]) as StripePaymentElement;
    this.element.on('change', (event) => {
      this.state = { complete: event.complete, type: event.value?.type };
    });
    const slot = this.render(host, config);
    const ready = new Promise<void>((resolve, reject) => {
      this.element!.on('ready', () => resolve());
      this.element!.on('loaderror', (event) =>
        reject(
          new EnablerError(
            `The payment form could not be loaded: ${event.error?.message ?? 'unknown error'}.`,
            'element_load_failed',
          ),
        ),
      );
    });
    this.element.mount(slot);
    await ready;
    if (this.button) this.button.disabled = false;
    await this.view.onDropinReady?.();
  }

  /** The Element's slot, the enabler's pay button (when asked) and its status line. */
  private render(host: HTMLElement, config: ElementConfig): HTMLElement {
    const { i18n } = this.deps;
    const frame = renderFrame(host, i18n, {
      className: 'ctc-payment',
      ...(this.view.showPayButton
        ? { payLabel: i18n.t('pay', { amount: i18n.money(config.cartInfo.amount, config.cartInfo.currency) }) }
        : {}),
      payDisabled: true,
      onPay: () => void this.clickPay(),
    });
    this.frame = frame;
    this.button = frame.button;
    return frame.content;
  }

  private say(key: MessageKey | undefined, kind = '', text?: string): void {
    this.frame?.say(key, kind, text);
  }

  private async clickPay(): Promise<void> {
    if (this.paying || this.paid) return;
    let answer: void | { storePaymentDetails?: boolean } | undefined;
    try {
      answer = await this.view.onPayButtonClick?.();
    } catch {
      return; // the storefront said no (e.g. its own form is invalid)
    }
    const store = answer && typeof answer.storePaymentDetails === 'boolean' ? answer.storePaymentDetails : undefined;
    await this.submit(store === undefined ? {} : { storePaymentDetails: store });
  }

  async isValid(): Promise<boolean> {
    return this.state.complete;
  }

  async showValidation(): Promise<void> {
    // Stripe marks what is missing in the Element itself when its details are submitted.
    const checked = await this.elements?.submit();
    if (checked?.error) this.say('validation', 'error');
  }

  getState(): PaymentState {
    if (this.card) return { card: { ...this.card } };
    return this.state.type === 'card' || (this.component === 'card' && !this.state.type) ? { card: {} } : {};
  }

  async isAvailable(): Promise<boolean> {
    try {
      const config = await this.elementConfig();
      const types = this.component === 'payment' ? config.paymentMethodTypes : [this.component];
      if (!types) return true; // automatic payment methods: Stripe chooses what fits
      return types.some(
        (type) =>
          !EUR_AUTOMATIC_ONLY.has(type) ||
          (config.cartInfo.currency.toLowerCase() === 'eur' && config.captureMethod !== 'manual'),
      );
    } catch {
      return false;
    }
  }

  /** Pays; `storePaymentDetails` asks to save the method for the shopper's next purchases. */
  async submit(opts: { storePaymentDetails?: boolean } = {}): Promise<void> {
    if (this.paying || this.paid) return;
    const { elements } = this;
    const { options, i18n } = this.deps;
    if (!elements) {
      const error = new EnablerError('Mount the component before submitting it.', 'not_mounted');
      if (options.onError) return options.onError(error);
      throw error;
    }
    this.paying = true;
    if (this.button) this.button.disabled = true;
    try {
      const store = opts.storePaymentDetails ?? this.deps.storePaymentDetails?.() ?? false;
      const paid = await attempt(
        { options, i18n, say: (key, kind, text) => this.say(key, kind, text) },
        async (remember) =>
          pay({
            api: this.deps.api,
            stripe: await this.deps.stripe(),
            elements,
            component: this.component,
            i18n,
            ...(store ? { storePaymentDetails: true } : {}),
            ...(options.onActionRequired ? { onActionRequired: options.onActionRequired } : {}),
            remember,
          }),
      );
      if (paid) {
        if (paid.card) this.card = paid.card;
        this.paid = true;
      }
    } finally {
      this.paying = false;
      if (this.button) this.button.disabled = this.paid;
    }
  }
}
