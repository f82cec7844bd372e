import type { Stripe } from '@stripe/stripe-js';
import { EnablerError } from './errors';
import { type MessageKey, type Translator } from './i18n';
import { renderFrame, type Frame } from './frame';
import { attempt, payStored } from './pay';
import type { ProcessorApi } from './processor-api';
import type { EnablerOptions, StoredComponent, StoredComponentOptions, StoredPaymentMethod } from './types';

export interface StoredDeps {
  api: ProcessorApi;
  stripe: () => Promise<Stripe>;
  i18n: Translator;
  options: EnablerOptions;
  /** Whether the deployment lets shoppers pay with saved methods. */
  enabled: () => Promise<boolean>;
}

/** A shopper's saved card: shown as "Visa •••• 4242, 12/34", paid with in one step. */
export class StoredCardComponent implements StoredComponent {
  private method?: StoredPaymentMethod;
  private frame?: Frame;
  private button?: HTMLButtonElement;
  private paying = false;
  private paid = false;

  constructor(
    private readonly deps: StoredDeps,
    private readonly view: StoredComponentOptions,
  ) {}

  private async find(): Promise<StoredPaymentMethod | undefined> {
    if (!(await this.deps.enabled())) return undefined;
    const { storedPaymentMethods = [] } = await this.deps.api.storedPaymentMethods();
    return storedPaymentMethods.find((m) => m.id === this.view.id && m.type === 'card');
  }

  async isAvailable(): Promise<boolean> {
    try {
      return (await this.find()) !== undefined;
    } catch {
      return false;
    }
  }

  async isValid(): Promise<boolean> {
    return this.method !== undefined;
  }

  async showValidation(): Promise<void> {
    if (!this.method) this.say('unavailable', 'error');
  }

  async mount(selector: string): Promise<void> {
    const host = typeof document === 'undefined' ? null : document.querySelector(selector);
    if (!host || typeof HTMLElement === 'undefined' || !(host instanceof HTMLElement))
      throw new EnablerError(`No element matches the selector "${selector}".`, 'invalid_selector');
    this.method = await this.find();
    if (!this.method)
      throw new EnablerError(
        `The stored payment method "${this.view.id}" is not available.`,
        'stored_method_unavailable',
      );
    const { i18n } = this.deps;
    const { displayOptions: shown } = this.method;
    const frame = renderFrame(host, i18n, {
      className: 'ctc-stored',
      ...(this.view.showPayButton ? { payLabel: i18n.t('payStored') } : {}),
      onPay: () => void this.clickPay(),
    });
    const label = document.createElement('p');
    label.className = 'ctc-stored-card';
    const expiry =
      shown.expiryMonth && shown.expiryYear ? `, ${shown.expiryMonth}/${String(shown.expiryYear).slice(-2)}` : '';
    label.textContent = `${shown.name}${expiry}`;
    frame.content.append(label);
    this.frame = frame;
    this.button = frame.button;
  }

  private say(key: MessageKey | undefined, kind = '', text?: string): void {
    this.frame?.say(key, kind, text);
  }

  private async clickPay(): Promise<void> {
    if (this.paying || this.paid) return;
    try {
      await this.view.onPayButtonClick?.();
    } catch {
      return;
    }
    await this.submit();
  }

  async submit(): Promise<void> {
    if (this.paying || this.paid) return;
    const { options, i18n } = this.deps;
    if (!this.method) {
      const error = new EnablerError('Mount the component before submitting it.', 'not_mounted');
      if (options.onError) return options.onError(error);
      throw error;
    }
    this.paying = true;
    if (this.button) this.button.disabled = true;
    try {
      const { id } = this.method;
      const paid = await attempt(
        { options, i18n, say: (key, kind, text) => this.say(key, kind, text) },
        async (remember) =>
          payStored({
            api: this.deps.api,
            stripe: await this.deps.stripe(),
            i18n,
            storedPaymentMethodId: id,
            ...(options.onActionRequired ? { onActionRequired: options.onActionRequired } : {}),
            remember,
          }),
      );
      if (paid) this.paid = true;
    } finally {
      this.paying = false;
      if (this.button) this.button.disabled = this.paid;
    }
  }

  async remove(): Promise<void> {
    await this.deps.api.deleteStoredPaymentMethod(this.view.id);
    this.method = undefined;
    if (this.button) this.button.disabled = true;
  }
}
