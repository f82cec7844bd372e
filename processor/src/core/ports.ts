import type {
  BaseAddress,
  Cart,
  Customer,
  CustomerUpdateAction,
  Order,
  Payment,
  PaymentDraft,
  PaymentMethod,
  PaymentMethodDraft,
  PaymentState,
  PaymentUpdateAction,
} from '@commercetools/platform-sdk';

/** The narrow part of commercetools that the use cases need. */
export interface CommercetoolsPort {
  /** The cart with its payments expanded (one request). */
  getCartWithPayments(cartId: string): Promise<Cart>;
  /** Raises the processor's not-found error (404 `ResourceNotFound`) when there is none. */
  getPayment(paymentId: string): Promise<Payment>;
  /**
   * The newest version of the payment this process read or wrote in the last minute, if any.
   * Transactions are never removed and their states only move forward, so a sync whose plan
   * against this copy is empty has nothing to write against the current version either.
   */
  recentPayment(paymentId: string): Payment | undefined;
  /** The same, found by the payment's key. */
  recentPaymentByKey(key: string): Payment | undefined;
  getPaymentByKey(key: string): Promise<Payment>;
  createPayment(draft: PaymentDraft): Promise<Payment>;
  /**
   * Applies `plan(payment)` to the payment in one update. On a version conflict the payment is
   * read again and the plan recomputed, so actions are always relative to the current state.
   */
  updatePayment(payment: Payment, plan: (current: Payment) => PaymentUpdateAction[]): Promise<Payment>;
  /**
   * One version-guarded update, no retry: a version conflict is thrown (see `isConflict`), so that
   * the caller re-plans from fresh reads of everything the plan depends on (Stripe included).
   */
  writePayment(payment: Pick<Payment, 'id' | 'version'>, actions: PaymentUpdateAction[]): Promise<Payment>;
  addPaymentToCart(cart: Pick<Cart, 'id' | 'version'>, paymentId: string): Promise<Cart>;
  /**
   * Adds the payment to the cart at exactly the version given: a cart changed since (another
   * payment added, an item changed) is refused with commercetools' 409, which the caller judges.
   */
  addPaymentToCartAt(cart: Pick<Cart, 'id' | 'version'>, paymentId: string): Promise<Cart>;
  findPaymentsByInterfaceId(interfaceId: string): Promise<Payment[]>;
  getCart(cartId: string): Promise<Cart>;
  setCartShippingAddress(cart: Pick<Cart, 'id' | 'version'>, address: BaseAddress): Promise<Cart>;
  findOrderByPaymentId(paymentId: string): Promise<Order | undefined>;
  getOrder(orderId: string): Promise<Order>;
  createOrderFromCart(draft: {
    cart: Pick<Cart, 'id' | 'version'>;
    orderNumber?: string;
    paymentState: PaymentState;
  }): Promise<Order>;
  changeOrderPaymentState(order: Pick<Order, 'id' | 'version'>, paymentState: PaymentState): Promise<Order>;
  /** The customer with its custom type expanded; raises not-found (404) when there is none. */
  getCustomer(customerId: string): Promise<Customer>;
  updateCustomer(customer: Pick<Customer, 'id' | 'version'>, actions: CustomerUpdateAction[]): Promise<Customer>;
  /** Payment methods matching a query predicate (commercetools `where`), at most 100. */
  findPaymentMethods(where: string): Promise<PaymentMethod[]>;
  /** Raises not-found (404) when there is none. */
  getPaymentMethod(id: string): Promise<PaymentMethod>;
  createPaymentMethod(draft: PaymentMethodDraft): Promise<PaymentMethod>;
  deletePaymentMethod(paymentMethod: Pick<PaymentMethod, 'id' | 'version'>): Promise<void>;
}

/** Which optional custom types post-deploy created. */
export interface TypeAvailability {
  cardDetails: boolean;
  interactions: boolean;
}
