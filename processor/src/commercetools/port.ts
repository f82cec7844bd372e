import { Errorx, type setupPaymentSDK } from '@commercetools/connect-payments-sdk';
import type { CommercetoolsPort } from '../core/ports';
import { notFound } from '../core/errors';
import { TtlMap } from '../core/ttl-map';
import type { Payment } from '@commercetools/platform-sdk';

type CommercetoolsAPI = ReturnType<typeof setupPaymentSDK>['ctAPI'];

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
  const idsByKey = new TtlMap<string, string>(RECENT_TTL_MS, RECENT_MAX);
  return {
    get: (id: string): Payment | undefined => entries.get(id),
    byKey(key: string): Payment | undefined {
      const id = idsByKey.get(key);
      const payment = id === undefined ? undefined : entries.get(id);
      // A payment's key can be changed: the copy counts only while it still has this one.
      return payment?.key === key ? payment : undefined;
    },
    remember(payment: Payment): Payment {
      const known = entries.get(payment.id);
      if (!known || known.version <= payment.version) {
        entries.set(payment.id, payment);
        if (payment.key) idsByKey.set(payment.key, payment.id);
      }
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
    getPayment: async (paymentId) => {
      try {
        return recent.remember(await api.payment.getPaymentById(paymentId));
      } catch (error) {
        throw statusOf(error) === 404 ? notFound(`Payment ${paymentId}`) : error;
      }
    },
    recentPayment: (paymentId) => recent.get(paymentId),
    recentPaymentByKey: (key) => recent.byKey(key),
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

    addPaymentToCartAt: (cart, paymentId) =>
      api.cart.addPayment({ resource: { id: cart.id, version: cart.version }, paymentId }),

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

    async getCustomer(customerId) {
      try {
        const res = await api.client
          .customers()
          .withId({ ID: customerId })
          .get({ queryArgs: { expand: ['custom.type'] } })
          .execute();
        return res.body;
      } catch (error) {
        throw statusOf(error) === 404 ? notFound(`Customer ${customerId}`) : error;
      }
    },

    async updateCustomer(customer, actions) {
      const res = await api.client
        .customers()
        .withId({ ID: customer.id })
        .post({ body: { version: customer.version, actions } })
        .execute();
      return res.body;
    },

    async findPaymentMethods(where) {
      const res = await api.client
        .paymentMethods()
        .get({ queryArgs: { where, limit: 100, sort: ['createdAt asc'] } })
        .execute();
      return res.body.results;
    },

    async getPaymentMethod(id) {
      try {
        return (await api.client.paymentMethods().withId({ ID: id }).get().execute()).body;
      } catch (error) {
        throw statusOf(error) === 404 ? notFound(`Payment method ${id}`) : error;
      }
    },

    createPaymentMethod: async (draft) => (await api.client.paymentMethods().post({ body: draft }).execute()).body,

    async deletePaymentMethod(paymentMethod) {
      try {
        await api.client
          .paymentMethods()
          .withId({ ID: paymentMethod.id })
          .delete({ queryArgs: { version: paymentMethod.version } })
          .execute();
      } catch (error) {
        // Deleted meanwhile (a retry, a concurrent request): what was asked is done.
        if (statusOf(error) !== 404) throw error;
      }
    },
  };
}
