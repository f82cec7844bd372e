/** The commercetools enabler contract, as commercetools Checkout and storefronts use it. */

export interface PaymentResult {
  isSuccess: boolean;
  /** The payment is being settled by the bank (asynchronous methods): not a failure; the order waits (D16). */
  isPending?: boolean;
  paymentReference?: string;
  paymentIntent?: string;
}

export interface EnablerOptions {
  processorUrl: string;
  sessionId: string;
  locale?: string;
  onActionRequired?: () => Promise<void>;
  onComplete?: (result: PaymentResult) => void;
  onError?: (error: Error, context?: { paymentReference?: string }) => void;
}

export interface ComponentOptions {
  showPayButton?: boolean;
  onPayButtonClick?: () => Promise<void>;
}

export interface PaymentComponent {
  mount(selector: string): Promise<void>;
  submit(): Promise<void>;
  showValidation?(): void;
  isValid?(): boolean;
  getState?(): { card?: { brand?: string; endDigits?: string } } & Record<string, unknown>;
  isAvailable?(): Promise<boolean>;
}

export interface PaymentComponentBuilder {
  componentHasSubmit?: boolean;
  build(config?: ComponentOptions): PaymentComponent;
}

export interface DropinComponent {
  init?(): void;
  mount(selector: string): Promise<void>;
  submit(): Promise<void>;
}

export interface PaymentDropinBuilder {
  dropinHasSubmit: boolean;
  build(config?: ComponentOptions): DropinComponent;
}

export type DropinType = 'embedded' | 'hpp';
