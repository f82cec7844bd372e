import { EnablerError, ProcessorError } from './errors';
import type { StoredPaymentMethod } from './types';

export interface ProcessorConfig {
  publishableKey: string;
  environment: 'test' | 'live';
  /** Whether shoppers may save cards and pay with saved ones. */
  storedPaymentMethodsEnabled?: boolean;
}

export interface ElementConfig {
  cartInfo: { amount: number; currency: string };
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  paymentMethodTypes?: string[];
  appearance?: Record<string, unknown>;
  layout: { type: 'tabs' | 'accordion' | 'auto' } & Record<string, unknown>;
  collectBillingAddress: 'auto' | 'never' | 'if_required';
  merchantReturnUrl: string;
  /** A Stripe Customer Session: the Payment Element shows the shopper's saved cards. */
  customerSessionClientSecret?: string;
}

export interface CreatedPayment {
  clientSecret: string;
  paymentReference: string;
  cartId: string;
  merchantReturnUrl: string;
  /** The PaymentIntent's amount (Stripe's minor units) and currency. */
  amount?: number;
  currency?: string;
}

/** `GET /express-config`: the cart as the wallet sheet shows it. */
export interface ExpressConfig {
  cartInfo: { amount: number; currency: string };
  countryCode?: string;
  captureMethod: 'automatic' | 'automatic_async' | 'manual';
  paymentMethodTypes: string[];
  wallets: { applePay: 'auto' | 'never'; googlePay: 'auto' | 'never'; link: 'auto' | 'never' };
  lineItems: { name: string; amount: number }[];
  shippingRate?: { id: string; displayName: string; amount: number };
}

export interface ConfirmResult {
  outcome: 'approved' | 'pending' | 'rejected';
  paymentReference: string;
  paymentIntentStatus?: string;
  errorCode?: string;
  declineCode?: string;
  message?: string;
  /** The card that paid, when it was a card (no number, only what may be shown). */
  card?: { brand?: string; last4?: string; expMonth?: number; expYear?: number };
}

/** Every call the enabler makes goes to the processor, through here. */
export class ProcessorApi {
  constructor(
    private readonly url: string,
    private readonly sessionId: string,
  ) {}

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url.replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          'x-session-id': this.sessionId,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw new EnablerError(`The payment service cannot be reached (${(cause as Error).message}).`, 'network_error');
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      const error = (json as { message?: string; errors?: { code?: string; message?: string }[] } | undefined) ?? {};
      const first = error.errors?.[0];
      throw new ProcessorError(
        first?.message ?? error.message ?? `The payment service answered ${res.status}.`,
        first?.code ?? `http_${res.status}`,
        res.status,
      );
    }
    if (json === undefined && res.status === 204) return undefined as T;
    if (json === undefined)
      throw new ProcessorError('The payment service answered no JSON.', 'invalid_response', res.status);
    return json as T;
  }

  config = () => this.call<ProcessorConfig>('GET', '/operations/config');
  elementConfig = (component: string) =>
    this.call<ElementConfig>('GET', `/config-element/${encodeURIComponent(component)}`);
  expressConfig = () => this.call<ExpressConfig>('GET', '/express-config');
  createPayment = (
    paymentComponent: string,
    extras: { storePaymentDetails?: boolean; storedPaymentMethodId?: string } = {},
  ) => this.call<CreatedPayment>('POST', '/payments', { paymentComponent, ...extras });
  storedPaymentMethods = () =>
    this.call<{ storedPaymentMethods?: StoredPaymentMethod[] }>('GET', '/stored-payment-methods');
  deleteStoredPaymentMethod = (id: string) =>
    this.call<unknown>('DELETE', `/stored-payment-methods/${encodeURIComponent(id)}`);
  confirm = (paymentReference: string, paymentIntent?: string) =>
    this.call<ConfirmResult>(
      'POST',
      `/confirmPayments/${encodeURIComponent(paymentReference)}`,
      paymentIntent ? { paymentIntent } : {},
    );
}
