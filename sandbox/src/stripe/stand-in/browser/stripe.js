// @ts-check
/* global window, location */
/**
 * Stripe.js stand-in for the sandbox: defines `window.Stripe` backed by the Stripe emulator's HTTP
 * API, so an unmodified integration (and `@stripe/stripe-js`, which uses an existing
 * `window.Stripe` instead of injecting js.stripe.com) runs in a browser without leaving the
 * machine. Plain CommonJS files, joined by the emulator's route into one classic script (no build
 * step), and type-checked against @stripe/stripe-js's types by `tsconfig.json` next to them.
 */
const { IntegrationError, intentCall, intentId } = require('./wire');
const { captureMethodOf, isManual } = require('./form');
const { challenge } = require('./dom');
const { createPaymentElement } = require('./payment-element');
const { createExpressCheckoutElement } = require('./express-checkout');

/** @typedef {import('@stripe/stripe-js').StripeError} StripeError */
/** @typedef {import('@stripe/stripe-js').PaymentIntentResult} PaymentIntentResult */
/** @typedef {import('@stripe/stripe-js').StripePaymentElementOptions} PaymentElementOptions */
/** @typedef {import('@stripe/stripe-js').StripeExpressCheckoutElementOptions} ExpressOptions */
/** @typedef {import('./form').ElementsOptions} ElementsOptions */
/** @typedef {import('./payment-element').Group} Group */

/** @type {WeakMap<object, Group>} */
const groups = new WeakMap();

/** @param {string} key @param {ElementsOptions} [input] */
function createElements(key, input = {}) {
  const options = { ...input };
  if (options.clientSecret && options.mode) {
    throw new IntegrationError('stripe.elements(): pass either `clientSecret` or `mode`, not both.');
  }
  if (options.clientSecret !== undefined) intentId(options.clientSecret, 'stripe.elements()');
  if (options.mode !== undefined && options.mode !== 'payment') {
    throw new IntegrationError(
      `The Stripe.js stand-in supports stripe.elements({mode: 'payment'}) only, not '${options.mode}'.`,
    );
  }
  if (options.mode === 'payment' && (!Number.isInteger(options.amount) || (options.amount ?? -1) < 0)) {
    throw new IntegrationError(
      `Invalid value for elements(): amount should be a non-negative integer. You specified: ${options.amount}.`,
    );
  }
  if (options.mode === 'payment' && typeof options.currency !== 'string') {
    throw new IntegrationError('Missing value for elements(): currency should be a string when mode is payment.');
  }
  /** @type {Group} */
  const group = { options, element: null, express: null, submitted: false };
  const elements = {
    /** @param {string} type @param {PaymentElementOptions & ExpressOptions} [elementOptions] */
    create(type, elementOptions = {}) {
      if (type !== 'payment' && type !== 'expressCheckout')
        throw new IntegrationError(
          `The Stripe.js stand-in supports the 'payment' and 'expressCheckout' Elements only, not '${type}'.`,
        );
      if (!options.clientSecret && !options.mode) {
        throw new IntegrationError(
          `In order to create a ${type} element, you must pass a clientSecret or mode when creating the Elements group.\n\ne.g. stripe.elements({clientSecret: "{{CLIENT_SECRET}}"})`,
        );
      }
      if (type === 'expressCheckout') {
        if (group.express && !group.express.destroyed())
          throw new IntegrationError('Can only create one Element of type expressCheckout.');
        group.express = createExpressCheckoutElement(key, group, elementOptions);
        return group.express.api;
      }
      if (group.element) throw new IntegrationError('Can only create one Element of type payment.');
      group.element = createPaymentElement(key, group, elementOptions);
      return group.element.api;
    },
    /** @param {string} type */
    getElement: (type) =>
      type === 'payment'
        ? (group.element?.api ?? null)
        : type === 'expressCheckout' && group.express && !group.express.destroyed()
          ? group.express.api
          : null,
    /** @param {Partial<ElementsOptions>} updates */
    update(updates) {
      Object.assign(options, updates);
      group.element?.refresh();
      group.express?.refresh();
    },
    fetchUpdates: async () => ({}),
    /** Validates the Payment Element; with deferred intents, confirmPayment requires it first. */
    async submit() {
      // Inside the Express Checkout Element's confirm event, the wallet sheet has collected everything.
      if (group.express?.authorization()) {
        group.submitted = true;
        return {};
      }
      const element = group.element;
      if (!element?.mounted()) {
        throw new IntegrationError('elements.submit(): the Elements group has no mounted Payment Element.');
      }
      if (!(await element.loaded())) {
        return { error: { type: 'validation_error', message: 'The Payment Element did not load.' } };
      }
      const [first] = element.check();
      if (first) return { error: { type: 'validation_error', code: first.code, message: first.message } };
      group.submitted = true;
      return { selectedPaymentMethod: element.selected() };
    },
  };
  groups.set(elements, group);
  return elements;
}

/** A navigation away never resolves, as Stripe.js's promise does not. @param {string} url @returns {Promise<never>} */
function navigate(url) {
  location.assign(url);
  return new Promise(() => undefined);
}

/**
 * After confirming: handle the next action, then resolve as Stripe.js does.
 * @param {string} key @param {PaymentIntentResult} result @param {string} secret
 * @param {'always' | 'if_required'} redirect @param {string | undefined} returnUrl
 * @returns {Promise<PaymentIntentResult>}
 */
async function settle(key, result, secret, redirect, returnUrl) {
  if (result.error) return result;
  const pi = result.paymentIntent;
  const action = pi.next_action;
  if (pi.status === 'requires_action') {
    if (action?.type === 'redirect_to_url' && action.redirect_to_url?.url) return navigate(action.redirect_to_url.url);
    if (action?.type !== 'use_stripe_sdk') {
      const message = `The Stripe.js stand-in cannot handle next_action ${action?.type}.`;
      return { error: { type: 'invalid_request_error', message, payment_intent: pi } };
    }
    const outcome = await challenge(pi);
    const answered = await intentCall(key, 'POST', `/_sandbox/payment_intents/${pi.id}/authenticate`, {
      client_secret: secret,
      outcome,
    });
    if (answered.error) return answered;
    // Stripe.js reads the intent again once the challenge closes, and decides from that.
    const fresh = await intentCall(key, 'GET', `/v1/payment_intents/${pi.id}`, { client_secret: secret });
    return settle(key, fresh, secret, redirect, returnUrl);
  }
  if (pi.status === 'requires_payment_method' && pi.last_payment_error) {
    const error = /** @type {StripeError} */ ({ ...pi.last_payment_error, payment_intent: pi });
    return { error };
  }
  if (redirect === 'always' && returnUrl) {
    const target = new URL(returnUrl, location.href);
    target.searchParams.set('payment_intent', pi.id);
    target.searchParams.set('payment_intent_client_secret', secret);
    target.searchParams.set('redirect_status', 'succeeded');
    return navigate(target.toString());
  }
  return { paymentIntent: pi };
}

/**
 * @param {string} key
 * @param {{elements?: object, clientSecret?: string, confirmParams?: Record<string, unknown>, redirect?: 'always' | 'if_required'}} input
 * @returns {Promise<PaymentIntentResult>}
 */
async function confirmPayment(key, input) {
  const { elements, clientSecret, confirmParams = {}, redirect = 'always' } = input ?? {};
  if (redirect !== 'always' && redirect !== 'if_required') {
    throw new IntegrationError(
      `Invalid value for stripe.confirmPayment(): redirect should be 'always' or 'if_required'. You specified: ${redirect}.`,
    );
  }
  const returnUrl = typeof confirmParams.return_url === 'string' ? confirmParams.return_url : undefined;
  if (redirect === 'always' && !returnUrl) {
    throw new IntegrationError(
      "stripe.confirmPayment(): the `confirmParams.return_url` argument is required unless passing `redirect: 'if_required'`",
    );
  }
  const group = elements ? groups.get(elements) : undefined;
  if (elements && !group)
    throw new IntegrationError('Invalid value for stripe.confirmPayment(): elements should be an Elements group.');
  const secret = clientSecret ?? group?.options.clientSecret;
  if (!secret) {
    throw new IntegrationError(
      group
        ? 'stripe.confirmPayment(): the `clientSecret` argument is required when the Elements group was created with `mode`.'
        : 'stripe.confirmPayment(): expected either `elements` or `clientSecret`.',
    );
  }
  const id = intentId(secret, 'stripe.confirmPayment()');
  /** @type {Record<string, unknown>} */
  const params = { ...confirmParams, client_secret: secret, use_stripe_sdk: true };
  const element = group?.element;
  const express = group?.express;
  // The Express Checkout Element confirms inside its confirm event, also next to a Payment Element.
  if (group && express?.mounted() && (express.authorization() || !element?.mounted())) {
    const authorization = express.authorization();
    if (!authorization) {
      throw new IntegrationError(
        'Element confirming payment is "expressCheckout", but stripe.confirmPayment() was not called within the "confirm" event. Please call stripe.confirmPayment() in the "confirm" event (https://stripe.com/docs/js/elements_object/express_checkout_element_confirm_event)',
      );
    }
    const result = await confirmExpress(key, group, authorization, { id, secret, confirmParams, params });
    const settled = result.error ? result : await settle(key, result, secret, redirect, returnUrl);
    express.settle(settled.error ? { ok: false, message: settled.error.message } : { ok: true });
    return settled;
  }
  if (group) {
    if (!element?.mounted()) {
      throw new IntegrationError(
        'Invalid value for stripe.confirmPayment(): elements should have a mounted Payment Element or Express Checkout Element.',
      );
    }
    if (!(await element.loaded()))
      return { error: { type: 'invalid_request_error', message: 'The Payment Element did not load.' } };
    if (group.options.mode) {
      if (!group.submitted) {
        throw new IntegrationError(
          'elements.submit() must be called before stripe.confirmPayment(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work. Integration guide: https://stripe.com/docs/payments/accept-a-payment-deferred',
        );
      }
      const current = await intentCall(key, 'GET', `/v1/payment_intents/${id}`, { client_secret: secret });
      if (current.error) return current;
      const pi = current.paymentIntent;
      const captureMethod = captureMethodOf(group.options);
      if (isManual(captureMethod) !== isManual(pi.capture_method)) {
        const message = `The capture method specified when creating the Elements group (${captureMethod}) does not match the PaymentIntent's capture_method (${pi.capture_method}). Pass the same captureMethod to stripe.elements() as when creating the PaymentIntent.`;
        return { error: { type: 'invalid_request_error', message, payment_intent: pi } };
      }
      // The amount is not compared: Stripe.js uses the Elements amount for display and wallets only.
      if ((group.options.currency ?? '').toLowerCase() !== pi.currency) {
        const message = `The currency specified when creating the Elements group (${group.options.currency}) does not match the PaymentIntent's currency (${pi.currency}).`;
        return { error: { type: 'invalid_request_error', message, payment_intent: pi } };
      }
    } else {
      const [first] = element.check();
      if (first) return { error: { type: 'validation_error', code: first.code, message: first.message } };
    }
    if (!confirmParams.payment_method) {
      Object.assign(params, element.confirmFields(confirmParams));
      params.expected_payment_method_type = params.payment_method ? 'card' : element.selected();
      if (!params.payment_method && element.selected() === 'sepa_debit') {
        // The Payment Element shows the SEPA mandate text and accepts it for the shopper.
        params.mandate_data = { customer_acceptance: { type: 'online', online: { infer_from_client: true } } };
      }
    }
  }
  const confirmed = await intentCall(key, 'POST', `/v1/payment_intents/${id}/confirm`, params);
  return settle(key, confirmed, secret, redirect, returnUrl);
}

/**
 * An address without its empty fields: the API refuses an empty string (it would unset the field).
 * @param {Record<string, string | null>} address
 */
const filled = (address) => Object.fromEntries(Object.entries(address).filter(([, value]) => value));

/**
 * Confirms with the card the shopper chose in the wallet sheet, after the checks Stripe.js makes:
 * the PaymentIntent must be for the amount and currency the sheet showed (the Elements group's).
 * @param {string} key @param {Group} group @param {import('./express-checkout').Authorization} authorization
 * @param {{id: string, secret: string, confirmParams: Record<string, unknown>, params: Record<string, unknown>}} call
 * @returns {Promise<PaymentIntentResult>}
 */
async function confirmExpress(key, group, authorization, { id, secret, confirmParams, params }) {
  if (group.options.mode && !group.submitted) {
    throw new IntegrationError(
      'elements.submit() must be called before stripe.confirmPayment(). Call elements.submit() as soon as your customer presses pay, prior to any asynchronous work. Integration guide: https://stripe.com/docs/payments/accept-a-payment-deferred',
    );
  }
  const current = await intentCall(key, 'GET', `/v1/payment_intents/${id}`, { client_secret: secret });
  if (current.error) return current;
  const pi = current.paymentIntent;
  if (group.options.mode) {
    const captureMethod = captureMethodOf(group.options);
    if (isManual(captureMethod) !== isManual(pi.capture_method)) {
      const message = `The capture method specified when creating the Elements group (${captureMethod}) does not match the PaymentIntent's capture_method (${pi.capture_method}). Pass the same captureMethod to stripe.elements() as when creating the PaymentIntent.`;
      return { error: { type: 'invalid_request_error', message, payment_intent: pi } };
    }
    // The wallet showed the shopper the Elements amount: a PaymentIntent for another amount is refused.
    const currency = (group.options.currency ?? '').toLowerCase();
    if (currency !== pi.currency || group.options.amount !== pi.amount) {
      const message = `The amount and currency of the PaymentIntent (${pi.amount} ${pi.currency}) do not match the amount and currency of the Elements group (${group.options.amount} ${currency}), which the Express Checkout Element showed the customer. Call elements.update({amount, currency}) whenever the total changes, and create the PaymentIntent for that total.`;
      return {
        error: { type: 'invalid_request_error', code: 'payment_intent_invalid_parameter', message, payment_intent: pi },
      };
    }
  }
  const given = /** @type {{billing_details?: Record<string, unknown>}} */ (confirmParams.payment_method_data ?? {});
  const { billingDetails, shippingAddress, card } = authorization;
  const body = {
    ...params,
    payment_method_data: {
      ...given,
      type: 'card',
      billing_details: { ...billingDetails, address: filled(billingDetails.address), ...given.billing_details },
      card: { number: card.number, exp_month: '12', exp_year: '34', cvc: '123' },
    },
    expected_payment_method_type: 'card',
    // Stripe puts the shipping address a wallet collected on the PaymentIntent.
    ...(shippingAddress && !confirmParams.shipping
      ? { shipping: { name: shippingAddress.name, address: filled(shippingAddress.address) } }
      : {}),
  };
  return intentCall(key, 'POST', `/v1/payment_intents/${id}/confirm`, body);
}

/**
 * `Stripe(pk, {apiVersion, locale})`: the options change nothing here (messages are English, the
 * emulator speaks one API version). Works with or without `new`, as Stripe.js does.
 * @param {unknown} key
 */
function Stripe(key) {
  if (typeof key !== 'string' || key === '') {
    throw new IntegrationError(`Invalid value for Stripe(): apiKey should be a string. You specified: ${String(key)}.`);
  }
  if (/^(sk|rk)_/.test(key))
    throw new IntegrationError(
      'You should not use your secret key with Stripe.js.\nPlease pass a publishable key instead.',
    );
  if (!key.startsWith('pk_'))
    throw new IntegrationError(
      `Invalid value for Stripe(): apiKey should be a publishable key (pk_...). You specified: ${key}.`,
    );
  return {
    /** @param {ElementsOptions} [options] */
    elements: (options) => createElements(key, options),
    /** @param {Parameters<typeof confirmPayment>[1]} options */
    confirmPayment: (options) => confirmPayment(key, options),
    /** @param {string} clientSecret */
    retrievePaymentIntent: async (clientSecret) =>
      intentCall(key, 'GET', `/v1/payment_intents/${intentId(clientSecret, 'stripe.retrievePaymentIntent()')}`, {
        client_secret: clientSecret,
      }),
    /** @param {{clientSecret: string}} options */
    async handleNextAction(options) {
      const secret = options?.clientSecret;
      const id = intentId(secret, 'stripe.handleNextAction()');
      const result = await intentCall(key, 'GET', `/v1/payment_intents/${id}`, { client_secret: secret });
      if (result.paymentIntent && result.paymentIntent.status !== 'requires_action') {
        const message = `handleNextAction: the PaymentIntent has a status of ${result.paymentIntent.status}; it does not require an action.`;
        return {
          error: {
            type: 'invalid_request_error',
            code: 'payment_intent_unexpected_state',
            message,
            payment_intent: result.paymentIntent,
          },
        };
      }
      return settle(key, result, secret, 'if_required', undefined);
    },
    registerAppInfo: () => undefined,
    _registerWrapper: () => undefined,
  };
}
// @stripe/stripe-js compares this with its release train and warns on a mismatch.
Stripe.version = 'endive';
Object.defineProperty(window, 'Stripe', { value: Stripe, writable: true, configurable: true });
