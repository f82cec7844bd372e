import type { Stripe, StripeElementLocale, StripeElements, StripePaymentElement } from '@stripe/stripe-js';
import { EnablerError, PaymentDeclinedError, ValidationError } from './errors';
import type { ProcessorApi } from './processor-api';
import type { EnablerOptions, PaymentComponent, PaymentResult } from './types';

export interface ElementDeps {
  api: ProcessorApi;
  stripe: () => Promise<Stripe>;
  locale?: StripeElementLocale;
  options: EnablerOptions;
}

/**
 * The Stripe Payment Element, for the drop-in (`payment`: every enabled method) or one method
 * type (a component). Every option the processor sends reaches the Element (D21), with the
 * capture method in the camelCase Stripe.js reads (D20).
 */
export class PaymentElementComponent implements PaymentComponent {
  private elements?: StripeElements;
  private element?: StripePaymentElement;
  private state = { complete: false, empty: true, type: undefined as string | undefined };
  private paying = false;

  constructor(
    private readonly deps: ElementDeps,
    private readonly component: string,
  ) {}

  async mount(selector: string): Promise<void> {
    const [stripe, config] = await Promise.all([this.deps.stripe(), this.deps.api.elementConfig(this.component)]);
    this.elements = stripe.elements({
      mode: 'payment',
      amount: config.cartInfo.amount,
      currency: config.cartInfo.currency,
      captureMethod: config.captureMethod,
      ...(config.paymentMethodTypes ? { paymentMethodTypes: config.paymentMethodTypes } : {}),
      ...(config.appearance ? { appearance: config.appearance } : {}),
      ...(this.deps.locale ? { locale: this.deps.locale } : {}),
    } as Parameters<Stripe['elements']>[0]);
    this.element = this.elements.create('payment', {
      layout: config.layout,
      fields: { billingDetails: { address: config.collectBillingAddress } },
    } as Parameters<StripeElements['create']>[1]) as StripePaymentElement;
    this.element.on('change', (event) => {
      this.state = { complete: event.complete, empty: event.empty, type: event.value?.type };
    });
    this.element.mount(selector);
  }

  isValid(): boolean {
    return this.state.complete;
  }

  getState() {
    return {
      complete: this.state.complete,
      empty: this.state.empty,
      ...(this.state.type ? { paymentMethodType: this.state.type } : {}),
    };
  }

  showValidation(): void {
    // Stripe shows what is missing in the Element itself when it is submitted.
    void this.elements?.submit();
  }

  async submit(): Promise<void> {
    if (this.paying) return;
    this.paying = true;
    let paymentReference: string | undefined;
    try {
      const result = await this.pay((ref) => (paymentReference = ref));
      this.deps.options.onComplete?.(result);
    } catch (error) {
      const err = error instanceof Error ? error : new EnablerError(String(error), 'unknown_error');
      if (this.deps.options.onError)
        this.deps.options.onError(err, paymentReference ? { paymentReference } : undefined);
      else throw err;
    } finally {
      this.paying = false;
    }
  }

  private async pay(remember: (paymentReference: string) => void): Promise<PaymentResult> {
    const { elements } = this;
    if (!elements) throw new EnablerError('Mount the component before submitting it.', 'not_mounted');
    const stripe = await this.deps.stripe();
    const checked = await elements.submit();
    if (checked.error) throw new ValidationError(checked.error.message ?? 'The payment details are incomplete.');

    const payment = await this.deps.api.createPayment(this.component);
    remember(payment.paymentReference);
    const returnUrl = new URL(payment.merchantReturnUrl);
    returnUrl.searchParams.set('paymentReference', payment.paymentReference);
    const confirmed = await stripe.confirmPayment({
      elements,
      clientSecret: payment.clientSecret,
      confirmParams: { return_url: returnUrl.toString() },
      redirect: 'if_required',
    });
    if (confirmed.error) {
      const e = confirmed.error;
      // A decline leaves the Element usable for another attempt.
      throw new PaymentDeclinedError(
        e.message ?? 'The payment was declined.',
        e.code ?? e.type,
        e.decline_code,
        payment.paymentReference,
      );
    }
    return finish(this.deps.api, payment.paymentReference, confirmed.paymentIntent.id);
  }
}

/** Asks the processor to verify and record the payment, and turns its outcome into a result. */
export async function finish(
  api: ProcessorApi,
  paymentReference: string,
  paymentIntent?: string,
): Promise<PaymentResult> {
  const outcome = await api.confirm(paymentReference, paymentIntent);
  const base = { paymentReference, ...(paymentIntent ? { paymentIntent } : {}) };
  if (outcome.outcome === 'approved') return { isSuccess: true, ...base };
  if (outcome.outcome === 'pending') return { isSuccess: true, isPending: true, ...base };
  throw new PaymentDeclinedError(
    outcome.message ?? 'The payment was not approved.',
    outcome.errorCode ?? 'payment_rejected',
    outcome.declineCode,
    paymentReference,
  );
}
