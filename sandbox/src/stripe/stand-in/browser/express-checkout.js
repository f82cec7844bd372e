// @ts-check
const { CONFIG, intentCall, intentId, mountTarget } = require('./wire');
const { el, applyAppearance } = require('./dom');
const { openSheet, checkDetails } = require('./wallet-sheet');

/** @typedef {import('@stripe/stripe-js').StripeError} StripeError */
/** @typedef {import('@stripe/stripe-js').StripeExpressCheckoutElementOptions} ExpressOptions */
/** @typedef {import('@stripe/stripe-js').ExpressPaymentType} ExpressPaymentType */
/** @typedef {import('@stripe/stripe-js').LineItem} LineItem */
/** @typedef {import('@stripe/stripe-js').ShippingRate} ShippingRate */
/** @typedef {import('@stripe/stripe-js').ClickResolveDetails} ClickResolveDetails */
/** @typedef {import('@stripe/stripe-js').ChangeResolveDetails} ChangeResolveDetails */
/** @typedef {import('@stripe/stripe-js').StripeExpressCheckoutElementConfirmEvent} ConfirmEvent */
/** @typedef {import('./form').ElementsOptions} ElementsOptions */
/** @typedef {{options: ElementsOptions, submitted: boolean}} ElementsGroup */
/** @typedef {ReturnType<typeof createExpressCheckoutElement>} ExpressElement */
/** @typedef {import('./wallet-sheet').Authorization} Authorization */

/** The wallets the stand-in draws, in Stripe's default order, with the option that turns each off. */
const WALLETS = /** @type {const} */ ([
  { type: 'apple_pay', option: 'applePay', label: 'Apple Pay' },
  { type: 'google_pay', option: 'googlePay', label: 'Google Pay' },
  { type: 'link', option: 'link', label: 'Link' },
]);

const CLICK_TIMEOUT_MS = 1000;

/**
 * The Express Checkout Element: one button per wallet, each opening a sandbox wallet sheet (an
 * in-page dialog) where the shopper picks an address, a shipping rate and a card, and pays.
 * @param {string} key @param {ElementsGroup} group @param {ExpressOptions} initial
 */
function createExpressCheckoutElement(key, group, initial) {
  let options = { ...initial };
  /** @type {Map<string, Set<(event: never) => unknown>>} */
  const listeners = new Map();
  /** @type {HTMLElement | null} */
  let host = null;
  /** @type {HTMLElement | null} */
  let root = null;
  let destroyed = false;
  /** The amount and currency of a clientSecret Elements group come from its PaymentIntent. */
  /** @type {{amount: number, currency: string} | null} */
  let intent = null;
  /** @type {Promise<boolean>} */
  let loaded = Promise.resolve(false);
  /** @type {ReturnType<typeof openSheet> | null} */
  let sheet = null;

  /** @param {string} event @param {object} payload */
  const emit = (event, payload) => {
    const handlers = [...(listeners.get(event) ?? [])];
    for (const handler of handlers) handler(/** @type {never} */ ({ elementType: 'expressCheckout', ...payload }));
    return handlers.length;
  };
  const has = (/** @type {string} */ event) => (listeners.get(event)?.size ?? 0) > 0;
  const amount = () => group.options.amount ?? intent?.amount ?? 0;
  const currency = () => group.options.currency ?? intent?.currency ?? 'usd';

  const wallets = () => {
    const methods = /** @type {Record<string, string | undefined>} */ ({
      ...options.wallets,
      ...options.paymentMethods,
    });
    const shown = WALLETS.filter((w) => methods[w.option] !== 'never');
    const order = options.paymentMethodOrder ?? [];
    const rank = (/** @type {(typeof WALLETS)[number]} */ w) =>
      order.includes(w.type) ? order.indexOf(w.type) : order.length + WALLETS.indexOf(w);
    return shown.sort((a, b) => rank(a) - rank(b));
  };

  function render() {
    if (!root) return;
    root.textContent = '';
    for (const wallet of wallets()) {
      const button = el('button', { type: 'button', class: 'sbx-tab', 'data-express-payment-type': wallet.type }, [
        wallet.label,
      ]);
      button.addEventListener('click', () => void clicked(wallet));
      root.append(button);
    }
  }

  /** @param {(typeof WALLETS)[number]} wallet */
  async function clicked(wallet) {
    if (sheet) return;
    /** @type {ClickResolveDetails | undefined} */
    let details = {};
    if (has('click')) {
      details = await new Promise((resolve) => {
        let settled = false;
        const timer = setTimeout(() => {
          if (settled) return;
          settled = true;
          console.error(
            '[Stripe.js] Timed out waiting for a call to resolve(). If you listen to the "click" event, then you must call event.resolve in the "click" handler within 1 second.',
          );
          resolve(undefined);
        }, CLICK_TIMEOUT_MS);
        emit('click', {
          expressPaymentType: wallet.type,
          /** @param {ClickResolveDetails} [given] */
          resolve(given) {
            if (settled) return;
            checkDetails('click event resolve callback', given);
            settled = true;
            clearTimeout(timer);
            resolve(given ?? {});
          },
          reject() {
            if (settled) return;
            settled = true;
            clearTimeout(timer);
            resolve(undefined);
          },
        });
      });
    }
    if (!details) return;
    sheet = openSheet({
      wallet,
      config: { ...options, ...details },
      emit,
      amount,
      currency,
      onClose: () => (sheet = null),
    });
  }

  async function load() {
    if (CONFIG?.publishableKey && key !== CONFIG.publishableKey) {
      /** @type {StripeError} */
      const error = {
        type: 'invalid_request_error',
        code: 'api_key_invalid',
        message: `Invalid API Key provided: ${key}`,
      };
      if (root) root.textContent = '';
      emit('loaderror', { error });
      return false;
    }
    const secret = group.options.clientSecret;
    if (secret) {
      const result = await intentCall(key, 'GET', `/v1/payment_intents/${intentId(secret, 'elements()')}`, {
        client_secret: secret,
      });
      if (result.error) {
        emit('loaderror', { error: result.error });
        return false;
      }
      intent = { amount: result.paymentIntent.amount, currency: result.paymentIntent.currency };
    }
    render();
    const shown = wallets().map((w) => w.option);
    emit('ready', {
      availablePaymentMethods: shown.length
        ? {
            applePay: shown.includes('applePay'),
            googlePay: shown.includes('googlePay'),
            link: shown.includes('link'),
            paypal: false,
            amazonPay: false,
            klarna: false,
          }
        : undefined,
    });
    return true;
  }

  const api = {
    /** @param {string | HTMLElement} target */
    mount(target) {
      host = mountTarget(target, { destroyed, mounted: root !== null });
      root = el('div', { class: 'sbx-pe sbx-tabs', 'data-stripe-stand-in': 'expressCheckout' });
      applyAppearance(group.options.appearance, root);
      host.classList.add('StripeElement');
      host.append(root);
      loaded = new Promise((resolve) => setTimeout(resolve, 0)).then(load);
    },
    unmount() {
      root?.remove();
      host?.classList.remove('StripeElement');
      root = null;
      host = null;
    },
    destroy() {
      api.unmount();
      destroyed = true;
    },
    /** @param {string} event @param {(event: never) => unknown} handler */
    on(event, handler) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(handler));
      return api;
    },
    /** @param {string} event @param {(event: never) => unknown} handler */
    once(event, handler) {
      const wrapper = /** @type {(event: never) => unknown} */ (e) => (api.off(event, wrapper), handler(e));
      return api.on(event, wrapper);
    },
    /** @param {string} event @param {(event: never) => unknown} [handler] */
    off(event, handler) {
      if (handler) listeners.get(event)?.delete(handler);
      else listeners.delete(event);
      return api;
    },
    /** @param {Partial<ExpressOptions>} updates */
    update(updates) {
      options = { ...options, ...updates };
      render();
      return api;
    },
    focus: () => /** @type {HTMLElement | null | undefined} */ (root?.querySelector('button'))?.focus(),
    blur: () => root?.querySelectorAll('button').forEach((b) => b.blur()),
  };

  return {
    api,
    mounted: () => root !== null,
    loaded: () => loaded,
    /** What the shopper authorized in the sheet, while its `confirm` event waits for confirmPayment. */
    authorization: () => sheet?.authorization() ?? null,
    /** Elements' amount changed (`elements.update`): the open sheet shows the new total. */
    refresh: () => sheet?.redraw(),
    /** confirmPayment settled: the sheet shows success or failure, like a wallet. @param {{ok: boolean, message?: string}} outcome */
    settle: (outcome) => sheet?.settle(outcome),
    destroyed: () => destroyed,
  };
}

module.exports = { createExpressCheckoutElement };
