import type {
  ExpressCheckoutPartialAddress,
  ShippingRate,
  Stripe,
  StripeElements,
  StripeExpressCheckoutElement,
  StripeExpressCheckoutElementConfirmEvent,
  StripeExpressCheckoutElementShippingAddressChangeEvent,
  StripeExpressCheckoutElementShippingRateChangeEvent,
} from '@stripe/stripe-js';
import { EnablerError, PaymentDeclinedError, ValidationError } from './errors';
import { messageFor, type Translator } from './i18n';
import { coded, finish } from './pay';
import { ProcessorApi, type ExpressConfig } from './processor-api';
import type {
  ExpressAddressData,
  ExpressComponent,
  ExpressOptions,
  ExpressPaymentSubmitPayload,
  ExpressShippingOptionData,
} from './types';

/** The wallets each express type shows (Stripe's Express Checkout Element `paymentMethods`). */
export const EXPRESS_TYPES = {
  express: ['applePay', 'googlePay', 'link'],
  applepay: ['applePay'],
  googlepay: ['googlePay'],
  link: ['link'],
} as const;
export type ExpressType = keyof typeof EXPRESS_TYPES;
type Wallet = (typeof EXPRESS_TYPES)[ExpressType][number];

export interface ExpressDeps {
  processorUrl: string;
  /** The session the enabler was made with: enough to configure the element before a click. */
  api: ProcessorApi;
  stripe(): Promise<Stripe>;
  i18n: Translator;
  locale?: string;
}

/** A commercetools amount in Stripe's minor units (ISK and UGX are two-decimal on Stripe's API). */
export function stripeAmount(money: { centAmount: number; currencyCode: string }): number {
  return /^(isk|ugx)$/i.test(money.currencyCode) ? money.centAmount * 100 : money.centAmount;
}

function addressOf(
  address: Partial<ExpressCheckoutPartialAddress> & { line1?: string; line2?: string | null },
  person: { name?: string; email?: string; phone?: string } = {},
): ExpressAddressData {
  const [firstName, ...rest] = (person.name ?? '').trim().split(/\s+/);
  const out: ExpressAddressData = { country: (address.country ?? '').toUpperCase() };
  const fields = {
    firstName,
    lastName: rest.join(' '),
    streetName: address.line1,
    additionalStreetInfo: address.line2,
    postalCode: address.postal_code,
    city: address.city,
    state: address.state,
    email: person.email,
    phone: person.phone,
  } as const;
  for (const [key, value] of Object.entries(fields)) {
    if (value) out[key as keyof typeof fields] = value;
  }
  return out;
}

function rateOf(option: ExpressShippingOptionData): ShippingRate {
  return {
    id: option.id,
    displayName: option.name ?? option.id,
    amount: option.amount ? stripeAmount(option.amount) : 0,
  };
}

/**
 * Stripe's Express Checkout Element (Apple Pay, Google Pay, Link) on the storefront's cart. The
 * storefront owns the cart: the wallet sheet's address and shipping method go to its callbacks,
 * and the total the sheet shows is read back from the processor after every change, so the
 * shopper approves exactly what the cart asks. The payment then takes the same path as the
 * Payment Element: the processor creates the PaymentIntent for the cart, Stripe.js confirms it
 * (Stripe refuses it when its amount differs from the sheet's), the processor verifies it.
 */
export class ExpressCheckoutComponent implements ExpressComponent {
  private elements?: StripeElements;
  private element?: StripeExpressCheckoutElement;
  /** The session of the cart being paid: the storefront's answer to the wallet button's click. */
  private session?: Promise<ProcessorApi>;
  private amount = 0;
  private rates: ShippingRate[] = [];

  constructor(
    private readonly deps: ExpressDeps,
    private readonly type: ExpressType,
    private readonly options: ExpressOptions,
  ) {}

  async mount(selector: string): Promise<void> {
    const host = typeof document === 'undefined' ? null : document.querySelector(selector);
    if (!host || typeof HTMLElement === 'undefined' || !(host instanceof HTMLElement))
      throw new EnablerError(`No element matches the selector "${selector}".`, 'invalid_selector');
    const [stripe, config] = await Promise.all([this.deps.stripe(), this.deps.api.expressConfig()]);
    const wallets = this.wallets(config);
    if (wallets.length === 0) throw new EnablerError('No express payment method is enabled.', 'express_unavailable');
    this.amount = this.options.initialAmount ? stripeAmount(this.options.initialAmount) : config.cartInfo.amount;
    this.rates = config.shippingRate ? [config.shippingRate] : [];
    this.elements = stripe.elements({
      mode: 'payment',
      amount: this.amount,
      currency: config.cartInfo.currency,
      captureMethod: config.captureMethod,
      paymentMethodTypes: config.paymentMethodTypes,
      ...(this.deps.locale ? { locale: this.deps.locale } : {}),
    } as Parameters<Stripe['elements']>[0]);
    const all: Wallet[] = ['applePay', 'googlePay', 'link'];
    this.element = this.elements.create('expressCheckout', {
      paymentMethods: Object.fromEntries(all.map((w) => [w, wallets.includes(w) ? 'auto' : 'never'])),
      ...this.sheetOptions(),
    });
    this.element.on('click', (event) => {
      // Stripe wants an answer within a second: the storefront's session follows meanwhile.
      this.session = this.options
        .onPayButtonClick()
        .then(({ sessionId }) => new ProcessorApi(this.deps.processorUrl, sessionId));
      this.session.catch((error: unknown) => this.fail(error));
      event.resolve({
        ...this.sheetOptions(),
        ...(this.rates.length > 0 ? { shippingRates: this.rates } : {}),
      });
    });
    this.element.on('shippingaddresschange', (event) => void this.addressChanged(event));
    this.element.on('shippingratechange', (event) => void this.rateChanged(event));
    this.element.on('confirm', (event) => void this.confirm(stripe, event));
    this.element.on('cancel', () =>
      this.options.onError?.(new EnablerError('The shopper closed the wallet without paying.', 'express_canceled')),
    );
    const ready = new Promise<void>((resolve, reject) => {
      this.element!.on('ready', () => resolve());
      this.element!.on('loaderror', (event) =>
        reject(
          new EnablerError(
            `The express checkout could not be loaded: ${event.error?.message ?? 'unknown error'}.`,
            'element_load_failed',
          ),
        ),
      );
    });
    this.element.mount(host);
    await ready;
  }

  private wallets(config: ExpressConfig): Wallet[] {
    const wanted: readonly Wallet[] = EXPRESS_TYPES[this.type];
    return wanted.filter((wallet) => config.wallets[wallet] === 'auto');
  }

  private sheetOptions() {
    const countries = this.options.allowedCountries?.map((c) => c.toUpperCase());
    return {
      shippingAddressRequired: true,
      emailRequired: true,
      phoneNumberRequired: true,
      ...(countries && countries.length > 0 ? { allowedShippingCountries: countries } : {}),
    };
  }

  private api(): Promise<ProcessorApi> {
    return this.session ?? Promise.resolve(this.deps.api);
  }

  /** The cart's total and line items after a change, shown in the sheet. */
  private async follow(api: ProcessorApi) {
    const config = await api.expressConfig();
    this.amount = config.cartInfo.amount;
    await this.elements!.update({ amount: this.amount });
    return config;
  }

  private async addressChanged(event: StripeExpressCheckoutElementShippingAddressChangeEvent): Promise<void> {
    const address = addressOf(event.address, { name: event.name });
    const allowed = this.options.allowedCountries?.map((c) => c.toUpperCase());
    if (allowed && allowed.length > 0 && !allowed.includes(address.country)) return event.reject();
    try {
      const api = await this.api();
      await this.options.onShippingAddressSelected({ address });
      const methods = await this.options.getShippingMethods({ address });
      if (methods.length === 0) return event.reject();
      const chosen = methods.find((m) => m.isSelected) ?? methods[0]!;
      await this.options.onShippingMethodSelected({ shippingMethod: { id: chosen.id } });
      // The chosen rate first: the sheet selects the first one.
      this.rates = [chosen, ...methods.filter((m) => m !== chosen)].map(rateOf);
      const config = await this.follow(api);
      event.resolve({ shippingRates: this.rates, lineItems: config.lineItems });
    } catch {
      event.reject();
    }
  }

  private async rateChanged(event: StripeExpressCheckoutElementShippingRateChangeEvent): Promise<void> {
    try {
      const api = await this.api();
      await this.options.onShippingMethodSelected({ shippingMethod: { id: event.shippingRate.id } });
      const config = await this.follow(api);
      event.resolve({ lineItems: config.lineItems });
    } catch {
      event.reject();
    }
  }

  private async confirm(stripe: Stripe, event: StripeExpressCheckoutElementConfirmEvent): Promise<void> {
    const { i18n } = this.deps;
    let paymentReference: string | undefined;
    try {
      // Stripe wants the Element submitted first, before any asynchronous work.
      const checked = await this.elements!.submit();
      if (checked.error) throw new ValidationError(i18n.t('validation'));
      const api = await this.api();
      const billing = event.billingDetails;
      const shipping = event.shippingAddress;
      const email = billing?.email?.trim();
      const payload: ExpressPaymentSubmitPayload = {
        ...(shipping?.address?.country
          ? { shippingAddress: addressOf(shipping.address, { name: shipping.name, email, phone: billing?.phone }) }
          : {}),
        ...(billing?.address?.country ? { billingAddress: addressOf(billing.address, billing) } : {}),
        ...(email ? { customerEmail: email } : {}),
      };
      await this.options.onPaymentSubmit(payload);
      const payment = await api.createPayment('express');
      paymentReference = payment.paymentReference;
      if (payment.amount !== undefined && payment.amount !== this.amount) {
        // The cart changed after the sheet showed its total: nothing is charged; the sheet shows
        // the new total and the shopper decides again.
        event.paymentFailed({ reason: 'fail' });
        await this.follow(api);
        throw new PaymentDeclinedError(i18n.t('cartChanged'), 'cart_changed', undefined, paymentReference);
      }
      const returnUrl = new URL(payment.merchantReturnUrl);
      returnUrl.searchParams.set('paymentReference', payment.paymentReference);
      const confirmed = await stripe.confirmPayment({
        elements: this.elements!,
        clientSecret: payment.clientSecret,
        confirmParams: { return_url: returnUrl.toString() },
        redirect: 'if_required',
      });
      if (confirmed.error) {
        const code = confirmed.error.code ?? confirmed.error.type;
        const decline = confirmed.error.decline_code;
        throw new PaymentDeclinedError(i18n.t(messageFor(code, decline)), code, decline, paymentReference);
      }
      const paid = await finish(api, i18n, payment.paymentReference, confirmed.paymentIntent.id);
      this.options.onComplete?.({
        isSuccess: true,
        paymentReference: paid.paymentReference,
        ...(paid.paymentIntent ? { paymentIntent: paid.paymentIntent } : {}),
        ...(paid.isPending ? { isPending: true } : {}),
      });
    } catch (error) {
      if (!paymentReference) event.paymentFailed({ reason: 'fail' });
      this.fail(error, paymentReference);
    }
  }

  private fail(error: unknown, paymentReference?: string): void {
    const failure = coded(error);
    this.options.onError?.(failure);
    if (failure instanceof PaymentDeclinedError || paymentReference) {
      this.options.onComplete?.({
        isSuccess: false,
        ...(paymentReference ? { paymentReference } : {}),
        code: failure.code,
        ...(failure instanceof PaymentDeclinedError && failure.declineCode ? { declineCode: failure.declineCode } : {}),
      });
    }
  }
}
