import { Errorx, type setupPaymentSDK } from '@commercetools/connect-payments-sdk';
import { TtlMap } from '../core/ttl-map';
import type {
  BaseAddress,
  Cart,
  Order,
  Payment,
  PaymentDraft,
  PaymentState,
  PaymentUpdateAction,
} from '@commercetools/platform-sdk';

type CommercetoolsAPI = ReturnType<typeof setupPaymentSDK>['ctAPI'];

/** The narrow part of commercetools that the use cases need. */
export interface CommercetoolsPort {
  /** The cart with its payments expanded (one request). */
  getCartWithPayments(cartId: string): Promise<Cart>;
  getPayment(paymentId: string): Promise<Payment>;
  /**
   * The newest version of the payment this process read or wrote in the last minute, if any.
   * Transactions are never removed and their states only move forward, so a sync whose plan
   * against this copy is empty has nothing to write against the current version either.
   */
  recentPayment(paymentId: string): Payment | undefined;
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
}

/** The HTTP status of a commercetools error, whichever client raised it. */
export function statusOf(error: unknown): number | undefined {
  if (error instanceof Errorx) return error.httpErrorStatus;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

const MAX_ATTEMPTS = 5;
const RECENT_TTL_MS = 60_000;
const RECENT_MAX = 2_000;

/** Payments this process saw last, newest version wins; bounded in time and size. */
function recentPayments() {
  const entries = new TtlMap<string, Payment>(RECENT_TTL_MS, RECENT_MAX);
  return {
    get: (id: string): Payment | undefined => entries.get(id),
    remember(payment: Payment): Payment {
      const known = entries.get(payment.id);
      if (!known || known.version <= payment.version) entries.set(payment.id, payment);
      return payment;
    },
  };
}

export function isConflict(error: unknown): boolean {
  return statusOf(error) === 409;
}

/** commercetools refused a create because a resource with the same key exists (DuplicateField on `key`). */
export function isDuplicateKey(error: unknown): boolean {
  const fields = (error as { fields?: unknown }).fields;
  return (
    statusOf(error) === 400 &&
    Array.isArray(fields) &&
    fields.some((f: { code?: unknown; field?: unknown }) => f?.code === 'DuplicateField' && f?.field === 'key')
  );
}

export const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random())));

export function createCommercetoolsPort(api: CommercetoolsAPI): CommercetoolsPort {
  const recent = recentPayments();
  return {
    getCartWithPayments: (cartId) => api.cart.getCartById(cartId, ['paymentInfo.payments[*]']),
    getPayment: async (paymentId) => recent.remember(await api.payment.getPaymentById(paymentId)),
    recentPayment: (paymentId) => recent.get(paymentId),
    getPaymentByKey: async (key) =>
      recent.remember((await api.client.payments().withKey({ key }).get().execute()).body),
    createPayment: async (draft) => recent.remember(await api.payment.createPayment(draft)),

    async updatePayment(payment, plan) {
      // Starts from the newest version this process knows: a copy read before a concurrent
      // write of this process would only cost a conflict and a read.
      const known = recent.get(payment.id);
      let current = known && known.version > payment.version ? known : payment;
      for (let attempt = 1; ; attempt++) {
        const actions = plan(current);
        if (actions.length === 0) return current;
        try {
          return recent.remember(
            await api.payment.updatePayment({ resource: { id: current.id, version: current.version }, actions }),
          );
        } catch (error) {
          if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
          await backoff(attempt);
          current = recent.remember(await api.payment.getPaymentById(current.id));
        }
      }
    },

    writePayment: async (payment, actions) =>
      recent.remember(
        await api.payment.updatePayment({ resource: { id: payment.id, version: payment.version }, actions }),
      ),

    async addPaymentToCart(cart, paymentId) {
      let version = cart.version;
      for (let attempt = 1; ; attempt++) {
        try {
          return await api.cart.addPayment({ resource: { id: cart.id, version }, paymentId });
        } catch (error) {
          if (!isConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
          await backoff(attempt);
          const fresh = await api.cart.getCartById(cart.id);
          if (fresh.paymentInfo?.payments.some((p: { id: string }) => p.id === paymentId)) return fresh;
          version = fresh.version;
        }
      }
    },

    async findPaymentsByInterfaceId(interfaceId) {
      const result = await api.payment.find(`interfaceId="${interfaceId.replace(/"/g, '')}"`);
      return result.results;
    },

    getCart: (cartId) => api.cart.getCartById(cartId),

    async setCartShippingAddress(cart, address) {
      const res = await api.client
        .carts()
        .withId({ ID: cart.id })
        .post({ body: { version: cart.version, actions: [{ action: 'setShippingAddress', address }] } })
        .execute();
      return res.body;
    },

    async findOrderByPaymentId(paymentId) {
      const result = await api.order.find(`paymentInfo(payments(id="${paymentId.replace(/"/g, '')}"))`);
      return result.results[0];
    },

    getOrder: async (orderId) => (await api.client.orders().withId({ ID: orderId }).get().execute()).body,

    async createOrderFromCart({ cart, orderNumber, paymentState }) {
      const res = await api.client
        .orders()
        .post({
          body: {
            cart: { typeId: 'cart', id: cart.id },
            version: cart.version,
            ...(orderNumber ? { orderNumber } : {}),
            paymentState,
            orderState: 'Open',
          },
        })
        .execute();
      return res.body;
    },

    async changeOrderPaymentState(order, paymentState) {
      const res = await api.client
        .orders()
        .withId({ ID: order.id })
        .post({ body: { version: order.version, actions: [{ action: 'changePaymentState', paymentState }] } })
        .execute();
      return res.body;
    },
  };
}
