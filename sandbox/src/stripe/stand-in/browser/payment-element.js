// @ts-check
/* global document, fetch */
const { API, CONFIG, IntegrationError, encode, intentCall, intentId, mountTarget } = require('./wire');
const { LABELS, FIELDS, HINTS, format, validate, availableTypes } = require('./form');
const { el, applyAppearance } = require('./dom');

/** @typedef {import('@stripe/stripe-js').StripeError} StripeError */
/** @typedef {import('@stripe/stripe-js').PaymentIntent} PaymentIntent */
/** @typedef {import('@stripe/stripe-js').StripePaymentElementOptions} PaymentElementOptions */
/** @typedef {import('@stripe/stripe-js').StripePaymentElementChangeEvent} ChangeEvent */
/** @typedef {import('./form').ElementsOptions} ElementsOptions */
/** @typedef {import('./form').FieldError} FieldError */
/** @typedef {ReturnType<typeof createPaymentElement>} PaymentElement */
/**
 * What a customer session lets the Payment Element do: show saved cards again, offer to save one.
 * @typedef {{saved: {id: string, card: {brand: string, last4: string}}[], save: boolean, saveUsage: 'off_session' | 'on_session' | null}} CustomerView
 */
/** @typedef {{options: ElementsOptions, element: PaymentElement | null, express: import('./express-checkout').ExpressElement | null, submitted: boolean}} Group */

/**
 * The Payment Element, drawn with plain DOM inputs instead of Stripe's iframes.
 * @param {string} key @param {Group} group @param {PaymentElementOptions} initial
 */
function createPaymentElement(key, group, initial) {
  let options = { ...initial };
  const defaults = options.defaultValues?.billingDetails ?? {};
  /** @type {Record<string, string>} */
  const values = {
    number: '',
    expiry: '',
    cvc: '',
    name: defaults.name ?? '',
    email: defaults.email ?? '',
    iban: '',
  };
  /** @type {Map<string, Set<(event: never) => unknown>>} */
  const listeners = new Map();
  /** @type {string[]} */
  let types = [];
  let type = '';
  /** @type {PaymentIntent | null} */
  let intent = null;
  /** @type {HTMLElement | null} */
  let host = null;
  /** @type {HTMLElement | null} */
  let root = null;
  let destroyed = false;
  let focused = false;
  /** @type {Promise<boolean>} */
  let loaded = Promise.resolve(false);
  /** @type {CustomerView} */
  let customer = { saved: [], save: false, saveUsage: null };
  /** The saved card chosen, or '' for a new payment method. */
  let chosen = '';
  let saveChecked = false;

  /** @param {string} event @param {object} payload */
  const emit = (event, payload) => {
    for (const handler of [...(listeners.get(event) ?? [])])
      handler(/** @type {never} */ ({ elementType: 'payment', ...payload }));
  };
  /** Whether Elements collects a billing field; 'never' leaves it to confirmParams. @param {'name' | 'email'} field */
  const collects = (field) => {
    const billing = options.fields?.billingDetails;
    return !(billing === 'never' || (typeof billing === 'object' && billing[field] === 'never'));
  };
  const shownFields = () =>
    (FIELDS[type] ?? []).map(([name]) => name).filter((n) => (n !== 'name' && n !== 'email') || collects(n));
  const errors = () => (chosen ? [] : validate(type, values, shownFields()));
  const isEmpty = () => shownFields().every((name) => !values[name]) && shownFields().length > 0;

  const changed = () => {
    group.submitted = false;
    const complete = errors().length === 0;
    host?.classList.toggle('StripeElement--complete', complete);
    host?.classList.toggle('StripeElement--empty', isEmpty());
    /** @type {Omit<ChangeEvent, 'elementType'>} */
    const event = {
      empty: chosen ? false : isEmpty(),
      complete,
      collapsed: false,
      value: { type: chosen ? 'card' : type },
    };
    emit('change', event);
  };

  /** @param {FieldError[]} shown */
  const showErrors = (shown) => {
    if (!root) return;
    for (const input of root.querySelectorAll('input[name]')) {
      const name = input.getAttribute('name');
      input.setAttribute('aria-invalid', String(shown.some((e) => e.field === name)));
    }
    const box = root.querySelector('.sbx-error');
    if (box) box.textContent = shown[0]?.message ?? '';
    host?.classList.toggle('StripeElement--invalid', shown.length > 0);
  };

  function pane() {
    const inputs = shownFields().map((name) => {
      const [, label, placeholder, autocomplete] = /** @type {[string, string, string, string]} */ (
        (FIELDS[type] ?? []).find(([n]) => n === name)
      );
      const input = /** @type {HTMLInputElement} */ (
        el('input', { name, placeholder, autocomplete, 'aria-invalid': 'false' })
      );
      if (name === 'number' || name === 'expiry' || name === 'cvc') input.inputMode = 'numeric';
      input.value = values[name] ?? '';
      input.readOnly = options.readOnly === true;
      input.addEventListener('input', () => {
        input.value = format(name, input.value);
        values[name] = input.value;
        showErrors([]);
        changed();
      });
      return el('label', {}, [label, input]);
    });
    const extra = [];
    if (type === 'card' && customer.save) {
      const box = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', name: 'save' }));
      box.checked = saveChecked;
      box.addEventListener('change', () => (saveChecked = box.checked));
      extra.push(el('label', { class: 'sbx-save' }, [box, 'Save this card for future purchases']));
    }
    return el('div', { class: 'sbx-pane', 'data-type': type }, [
      ...inputs,
      ...extra,
      el('p', { class: 'sbx-hint' }, [HINTS[type] ?? '']),
    ]);
  }

  function render() {
    if (!root) return;
    root.textContent = '';
    const layout = typeof options.layout === 'string' ? options.layout : (options.layout?.type ?? 'tabs');
    const accordion = layout === 'accordion';
    const select = (/** @type {string} */ t) => {
      type = t;
      render();
      /** @type {HTMLElement | null | undefined} */ (
        root?.querySelector(`[data-type="${t}"], input[value="${t}"]`)
      )?.focus();
      changed();
    };
    if (customer.saved.length > 0) {
      const savedList = el('div', { class: 'sbx-saved', role: 'radiogroup', 'aria-label': 'Saved payment methods' });
      /** @param {string} id @param {string} label */
      const option = (id, label) => {
        const radio = /** @type {HTMLInputElement} */ (el('input', { type: 'radio', name: 'sbx-saved', value: id }));
        radio.checked = chosen === id;
        radio.addEventListener('change', () => {
          chosen = id;
          render();
          /** @type {HTMLElement | null | undefined} */ (
            root?.querySelector(`input[name="sbx-saved"][value="${id}"]`)
          )?.focus();
          changed();
        });
        return el('label', { class: 'sbx-radio' }, [radio, label]);
      };
      for (const pm of customer.saved) savedList.append(option(pm.id, savedLabel(pm.card)));
      savedList.append(option('', 'New payment method'));
      root.append(savedList);
      if (chosen) {
        root.append(el('div', { class: 'sbx-error', role: 'alert' }));
        return;
      }
    }
    const list = el('div', { class: 'sbx-tabs', role: accordion ? 'radiogroup' : 'tablist' });
    if (accordion) list.style.flexDirection = 'column';
    for (const t of types.length > 1 || accordion ? types : []) {
      const item = accordion
        ? el('label', { class: 'sbx-radio' }, [
            el('input', { type: 'radio', name: 'sbx-type', value: t }),
            LABELS[t] ?? t,
          ])
        : el('button', { type: 'button', class: 'sbx-tab', role: 'tab', 'data-type': t }, [LABELS[t] ?? t]);
      item.setAttribute('aria-selected', String(t === type));
      const radio = item.querySelector('input');
      if (radio) radio.checked = t === type;
      item.addEventListener(accordion ? 'change' : 'click', () => select(t));
      list.append(item);
      if (accordion && t === type) list.append(pane());
    }
    root.append(list);
    if (!accordion) root.append(pane());
    root.append(el('div', { class: 'sbx-error', role: 'alert' }));
  }

  /** What Stripe.js loads before the element is ready: the intent (clientSecret mode) and the account's methods. */
  async function load() {
    /** @param {StripeError} error */
    const loadError = (error) => {
      if (root) root.textContent = error.message ?? 'The Payment Element could not load.';
      emit('loaderror', { error });
      return false;
    };
    if (CONFIG?.publishableKey && key !== CONFIG.publishableKey) {
      return loadError({
        type: 'invalid_request_error',
        code: 'api_key_invalid',
        message: `Invalid API Key provided: ${key}`,
      });
    }
    const secret = group.options.clientSecret;
    if (secret) {
      const result = await intentCall(key, 'GET', `/v1/payment_intents/${intentId(secret, 'elements()')}`, {
        client_secret: secret,
      });
      // Stripe's sessions API tells the Payment Element what it may offer; here the intent does.
      if (result.error) return loadError(result.error);
      intent = result.paymentIntent;
    }
    types = availableTypes(group.options, intent, options);
    const sessionSecret = group.options.customerSessionClientSecret;
    if (sessionSecret) {
      const view = await customerView(key, sessionSecret);
      if ('error' in view) return loadError(view.error);
      customer = types.includes('card') ? view : { ...view, saved: [], save: false };
      chosen = customer.saved[0]?.id ?? '';
    }
    if (types.length === 0) {
      return loadError({
        type: 'invalid_request_error',
        message: 'No valid payment method types for this configuration.',
      });
    }
    if (!types.includes(type)) type = /** @type {string} */ (types[0]);
    render();
    emit('ready', {});
    return true;
  }

  const api = {
    /** @param {string | HTMLElement} target */
    mount(target) {
      host = mountTarget(target, { destroyed, mounted: root !== null });
      root = el('div', { class: 'sbx-pe', 'data-stripe-stand-in': 'payment' }, ['Loading…']);
      applyAppearance(group.options.appearance, root);
      root.addEventListener('focusin', () => {
        if (!focused) emit('focus', {});
        focused = true;
        host?.classList.add('StripeElement--focus');
      });
      // Decided a tick later: switching method redraws the form and moves focus inside it.
      root.addEventListener('focusout', () =>
        setTimeout(() => {
          if (!focused || root?.contains(document.activeElement)) return;
          focused = false;
          host?.classList.remove('StripeElement--focus');
          emit('blur', {});
        }, 0),
      );
      root.addEventListener('keydown', (e) => e.key === 'Escape' && emit('escape', {}));
      host.classList.add('StripeElement', 'StripeElement--empty');
      host.append(root);
      // Like Stripe's iframe, the element is ready only after its loading round trip.
      loaded = new Promise((resolve) => setTimeout(resolve, 0)).then(load);
    },
    unmount() {
      root?.remove();
      host?.classList.remove(
        'StripeElement',
        'StripeElement--empty',
        'StripeElement--complete',
        'StripeElement--focus',
        'StripeElement--invalid',
      );
      root = null;
      host = null;
    },
    destroy() {
      api.unmount();
      destroyed = true;
      group.element = null;
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
    /** @param {Partial<PaymentElementOptions>} updates */
    update(updates) {
      options = { ...options, ...updates };
      if (root) types = availableTypes(group.options, intent, options);
      render();
      return api;
    },
    clear() {
      for (const name of Object.keys(values)) values[name] = '';
      render();
      changed();
    },
    focus: () => root?.querySelector('input')?.focus(),
    blur: () => root?.querySelectorAll('input').forEach((input) => input.blur()),
    collapse: () => api,
  };

  return {
    api,
    mounted: () => root !== null,
    loaded: () => loaded,
    selected: () => type,
    /** Validates and shows the errors inline, as submit() and confirm do. */
    check() {
      const found = errors();
      showErrors(found);
      return found;
    },
    refresh() {
      if (root && !intent) types = availableTypes(group.options, intent, options);
      if (root && types.length && !types.includes(type)) type = /** @type {string} */ (types[0]);
      render();
    },
    /**
     * What confirming sends for the shopper's choice: a saved card by id, or the new method's data,
     * with `setup_future_usage` and `allow_redisplay` when the save checkbox was shown.
     * @param {Record<string, unknown>} confirmParams @returns {Record<string, unknown>}
     */
    confirmFields(confirmParams) {
      if (chosen) return { payment_method: chosen };
      const data = this.paymentMethodData(confirmParams);
      if (type !== 'card' || !customer.save) return { payment_method_data: data };
      if (saveChecked) {
        return {
          payment_method_data: { ...data, allow_redisplay: 'always' },
          setup_future_usage: customer.saveUsage ?? intent?.setup_future_usage ?? 'off_session',
        };
      }
      // Not ticked: a card the intent saves anyway is not shown again without the shopper's consent.
      return { payment_method_data: intent?.setup_future_usage ? { ...data, allow_redisplay: 'limited' } : data };
    },
    /** @param {Record<string, unknown>} confirmParams */
    paymentMethodData(confirmParams) {
      const given = /** @type {{billing_details?: Record<string, unknown>}} */ (
        confirmParams.payment_method_data ?? {}
      );
      const billing = { ...given.billing_details };
      for (const field of /** @type {const} */ (['name', 'email'])) {
        if (type === 'sepa_debit' && !collects(field) && !billing[field]) {
          throw new IntegrationError(
            `You specified "never" for fields.billing_details.${field} when creating the payment Element, but did not pass confirmParams.payment_method_data.billing_details.${field} when calling stripe.confirmPayment(). If you opt out of collecting data via the payment Element using the fields option, the data must be passed in when calling stripe.confirmPayment().`,
          );
        }
        if (type === 'sepa_debit' && collects(field)) billing[field] = values[field];
      }
      const [month, year] = (values.expiry ?? '').split(' / ');
      /** @type {Record<string, Record<string, unknown>>} */
      const details = {
        card: { number: (values.number ?? '').replace(/\s/g, ''), exp_month: month, exp_year: year, cvc: values.cvc },
        sepa_debit: { iban: (values.iban ?? '').replace(/\s/g, '') },
        ideal: {},
      };
      return { ...given, type, billing_details: billing, [type]: details[type] };
    },
  };
}

/** "Visa •••• 4242", as the Payment Element lists a saved card. @param {{brand: string, last4: string}} card */
function savedLabel(card) {
  const brands = /** @type {Record<string, string>} */ ({
    visa: 'Visa',
    mastercard: 'Mastercard',
    amex: 'American Express',
    discover: 'Discover',
    jcb: 'JCB',
    diners: 'Diners Club',
    unionpay: 'UnionPay',
  });
  return `${brands[card.brand] ?? card.brand} •••• ${card.last4}`;
}

/**
 * The customer session as the Payment Element uses it (Stripe.js reads it through a private call).
 * @param {string} key @param {string} secret @returns {Promise<CustomerView | {error: StripeError}>}
 */
async function customerView(key, secret) {
  try {
    const query = encode({ key, customer_session_client_secret: secret });
    const res = await fetch(`${API}/_sandbox/elements/customer-session?${query}`);
    const json = await res.json();
    if (!res.ok) return { error: json.error };
    return {
      saved: json.saved_payment_methods,
      save: json.payment_method_save === 'enabled',
      saveUsage: json.payment_method_save_usage,
    };
  } catch {
    return { error: { type: 'api_connection_error', message: `Could not reach the Stripe emulator at ${API}.` } };
  }
}

module.exports = { createPaymentElement };
