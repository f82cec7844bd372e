// @ts-check
/* global document, fetch, URLSearchParams, HTMLScriptElement, HTMLElement */
/** How the stand-in talks to the emulator: Stripe's wire format, keys, client secrets. */

/** @typedef {import('@stripe/stripe-js').StripeError} StripeError */
/** @typedef {import('@stripe/stripe-js').PaymentIntentResult} PaymentIntentResult */

// The route replaces the marker with the key the emulator accepts and the origin it was asked on.
const CONFIG = /** @type {{publishableKey: string, origin: string} | null} */ (/*@stand-in-config*/ null);
const script = document.currentScript;
// Read from our own <script src> so the stand-in works on whatever port the emulator listens.
const API = script instanceof HTMLScriptElement && script.src ? new URL(script.src).origin : (CONFIG?.origin ?? '');

class IntegrationError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'IntegrationError';
  }
}

/**
 * Stripe's wire format: form-encoded with bracket notation.
 * @param {Record<string, unknown>} params @param {string} [prefix] @param {URLSearchParams} [out]
 */
function encode(params, prefix = '', out = new URLSearchParams()) {
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    const name = prefix ? `${prefix}[${key}]` : key;
    if (typeof value === 'object') encode(/** @type {Record<string, unknown>} */ (value), name, out);
    else out.append(name, String(value));
  }
  return out;
}

/**
 * One call for a PaymentIntent. The key travels as a `key` parameter, as Stripe.js sends it: a
 * form POST without an Authorization header is a "simple" CORS request, so no preflight.
 * @param {string} key @param {'GET' | 'POST'} method @param {string} path @param {Record<string, unknown>} params
 * @returns {Promise<PaymentIntentResult>}
 */
async function intentCall(key, method, path, params) {
  const body = encode({ ...params, key });
  try {
    const res =
      method === 'GET' ? await fetch(`${API}${path}?${body}`) : await fetch(`${API}${path}`, { method, body });
    const json = await res.json();
    return res.ok ? { paymentIntent: json } : { error: json.error };
  } catch {
    return { error: { type: 'api_connection_error', message: `Could not reach the Stripe emulator at ${API}.` } };
  }
}

/** @param {unknown} secret @param {string} caller */
function intentId(secret, caller) {
  const id = typeof secret === 'string' ? secret.split('_secret_')[0] : undefined;
  if (typeof secret !== 'string' || !id?.startsWith('pi_') || id === secret) {
    throw new IntegrationError(
      `Invalid value for ${caller}: clientSecret should be a client secret of the form \${id}_secret_\${secret}. You specified: ${String(secret)}.`,
    );
  }
  return id;
}

/**
 * Where an Element mounts, refused as Stripe.js refuses it: a destroyed Element, one already
 * mounted, a selector that names nothing.
 * @param {string | HTMLElement} target @param {{ destroyed: boolean, mounted: boolean }} state
 * @returns {HTMLElement}
 */
function mountTarget(target, state) {
  if (state.destroyed) throw new IntegrationError('This Element has already been destroyed. Please create a new one.');
  if (state.mounted)
    throw new IntegrationError(
      'This Element is already mounted. Use unmount() to unmount the Element before re-mounting.',
    );
  const found = typeof target === 'string' ? document.querySelector(target) : target;
  if (!(found instanceof HTMLElement)) {
    throw new IntegrationError(
      `The selector you specified (${String(target)}) applies to no DOM elements that are currently on the page.\nMake sure the element exists on the page before calling mount().`,
    );
  }
  return found;
}

module.exports = { CONFIG, API, IntegrationError, encode, intentCall, intentId, mountTarget };
