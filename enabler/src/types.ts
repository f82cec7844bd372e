/** The commercetools enabler contract, as commercetools Checkout and storefronts use it. */

/** Card details of the payment, as far as Stripe tells them (never the number itself). */
export interface CardState {
  /** The last four digits. */
  endDigits?: string;
  /** Stripe's brand name: `visa`, `mastercard`, `amex`, ... */
  brand?: string;
  /** `MM/YY`. */
  expiryDate?: string;
}

/** `getState()`: `{card: {...}}` when the shopper pays by card; `{}` for other methods. */
export interface PaymentState {
  card?: CardState;
}

/** What `onComplete` receives: a success (possibly still settling), or a failure. */
export type PaymentResult =
  | {
      isSuccess: true;
      /** The payment is being settled by the bank (asynchronous methods): not a failure; the order waits (D16). */
      isPending?: boolean;
      paymentReference: string;
      paymentIntent?: string;
    }
  | {
      isSuccess: false;
      /** The commercetools payment of the refused attempt, when one was created. */
      paymentReference?: string;
      paymentIntent?: string;
      /** The error code (as on the error given to `onError`). */
      code?: string;
      declineCode?: string;
    };

export interface EnablerOptions {
  processorUrl: string;
  sessionId: string;
  /** A commercetools locale (`de-DE`, `fr`, ...): the language of the Element and of the enabler's own texts. */
  locale?: string;
  /** ISO 3166-1 alpha-2 country of the shopper: the Element's default billing country. */
  countryCode?: string;
  /** Called (and awaited) when the shopper must act elsewhere: a 3-D Secure challenge or a redirect to the bank. */
  onActionRequired?: () => Promise<void>;
  onComplete?: (result: PaymentResult) => void;
  onError?: (error: Error, context?: { paymentReference?: string }) => void;
}

export interface ComponentOptions {
  /** Render the enabler's own pay button under the Element (default false: the page calls `submit()`). */
  showPayButton?: boolean;
  /**
   * Awaited when the shopper clicks the enabler's pay button; a rejection stops the payment. It may
   * answer `{storePaymentDetails: true}` to save the card (e.g. from the storefront's checkbox).
   */
  onPayButtonClick?: () => Promise<void | { storePaymentDetails?: boolean }>;
}

export interface DropinOptions extends ComponentOptions {
  /** Called (and awaited by `mount()`) once the drop-in is rendered and usable. */
  onDropinReady?: () => Promise<void>;
}

export interface PaymentComponent {
  /** Resolves once the Element is rendered and usable; rejects with an `EnablerError` otherwise. */
  mount(selector: string): Promise<void>;
  /** Pays; `storePaymentDetails` saves the method for the shopper's next purchases (when enabled). */
  submit(opts?: { storePaymentDetails?: boolean }): Promise<void>;
  /** Shows what is missing or invalid in the Element. */
  showValidation?(): Promise<void>;
  /** Whether the details entered are complete. */
  isValid?(): Promise<boolean>;
  getState?(): PaymentState;
  /** Whether this method can pay this cart (currency, capture method, the deployment's methods); never throws. */
  isAvailable?(): Promise<boolean>;
}

export interface PaymentComponentBuilder {
  componentHasSubmit?: boolean;
  build(config?: ComponentOptions): PaymentComponent;
}

export interface DropinComponent extends PaymentComponent {
  init?(): void;
}

export interface PaymentDropinBuilder {
  dropinHasSubmit: boolean;
  build(config?: DropinOptions): DropinComponent;
}

export type DropinType = 'embedded' | 'hpp';

/** An address as commercetools has it (what the wallet sheet gives, as far as it gives it). */
export interface ExpressAddressData {
  /** ISO 3166-1 alpha-2. */
  country: string;
  firstName?: string;
  lastName?: string;
  streetName?: string;
  streetNumber?: string;
  additionalStreetInfo?: string;
  postalCode?: string;
  city?: string;
  state?: string;
  phone?: string;
  email?: string;
}

/** A shipping method the storefront offers for an address (`getShippingMethods`). */
export interface ExpressShippingOptionData {
  /** The commercetools shipping method id (given back to `onShippingMethodSelected`). */
  id: string;
  name?: string;
  description?: string;
  /** The one the cart has now: the sheet shows it selected. */
  isSelected?: boolean;
  /** Its price for this cart. */
  amount?: { centAmount: number; currencyCode: string };
}

/** What the wallet gives once the shopper approved: only what it gave is present. */
export interface ExpressPaymentSubmitPayload {
  shippingAddress?: ExpressAddressData;
  billingAddress?: ExpressAddressData;
  customerEmail?: string;
}

export interface ExpressOptions {
  /** Countries the shop ships to (ISO 3166-1 alpha-2); the wallet refuses other addresses. */
  allowedCountries?: string[];
  /** Called when a wallet button is pressed: the checkout session of the cart to pay (create it now if need be). */
  onPayButtonClick: () => Promise<{ sessionId: string }>;
  /** The shopper chose an address in the wallet: set it on the cart. */
  onShippingAddressSelected: (opts: { address: ExpressAddressData }) => Promise<void>;
  /** The shipping methods for that address, with their prices for the cart. */
  getShippingMethods: (opts: { address: ExpressAddressData }) => Promise<ExpressShippingOptionData[]>;
  /** The shopper chose a shipping method: set it on the cart. */
  onShippingMethodSelected: (opts: { shippingMethod: { id: string } }) => Promise<void>;
  /** The shopper approved the payment: put the full addresses and email on the cart before it is charged. */
  onPaymentSubmit: (opts: ExpressPaymentSubmitPayload) => Promise<void>;
  /** The amount the buttons start with (the cart's total, or the product's price on a product page). */
  initialAmount?: { centAmount: number; currencyCode: string; fractionDigits?: number };
  onComplete?: (result: PaymentResult) => void;
  /** Failures, and `express_canceled` when the shopper closes the wallet without paying. */
  onError?: (error: Error) => void;
}

export interface ExpressComponent {
  /** Resolves once the wallet buttons are rendered. */
  mount(selector: string): Promise<void>;
}

export interface PaymentExpressBuilder {
  build(config: ExpressOptions): ExpressComponent;
}

/** How a stored payment method is shown (never its token). */
export interface StoredDisplayOptions {
  name: string;
  logoUrl?: string;
  endDigits?: string;
  brand?: string;
  expiryMonth?: string;
  expiryYear?: string;
  [key: string]: unknown;
}

/** A payment method the shopper saved (a commercetools payment method of their customer). */
export interface StoredPaymentMethod {
  /** The commercetools payment method id. */
  id: string;
  type: string;
  /** ISO date. */
  createdAt: string;
  isDefault: boolean;
  displayOptions: StoredDisplayOptions;
}

export interface StoredComponentOptions {
  /** The stored payment method to pay with (`StoredPaymentMethod.id`). */
  id: string;
  showPayButton?: boolean;
  onPayButtonClick?: () => Promise<void>;
}

export interface StoredComponent {
  /** Shows the stored method (and the pay button when asked); resolves once rendered. */
  mount(selector: string): Promise<void>;
  /** Pays with the stored method (3-D Secure shown when the bank asks for it). */
  submit(): Promise<void>;
  isValid?(): Promise<boolean>;
  showValidation?(): Promise<void>;
  /** Whether stored methods are on and this one still belongs to the shopper. */
  isAvailable?(): Promise<boolean>;
  /** Deletes the stored method (in commercetools and Stripe). */
  remove(): Promise<void>;
}

export interface StoredComponentBuilder {
  componentHasSubmit: boolean;
  build(config: StoredComponentOptions): StoredComponent;
}
