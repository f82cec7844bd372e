// @ts-check
/* global document */
const { IntegrationError } = require('./wire');
const { el, applyAppearance } = require('./dom');

/** @typedef {import('@stripe/stripe-js').StripeExpressCheckoutElementOptions} ExpressOptions */
/** @typedef {import('@stripe/stripe-js').ExpressPaymentType} ExpressPaymentType */
/** @typedef {import('@stripe/stripe-js').LineItem} LineItem */
/** @typedef {import('@stripe/stripe-js').ShippingRate} ShippingRate */
/** @typedef {import('@stripe/stripe-js').ClickResolveDetails} ClickResolveDetails */
/** @typedef {import('@stripe/stripe-js').ChangeResolveDetails} ChangeResolveDetails */
/** @typedef {import('@stripe/stripe-js').StripeExpressCheckoutElementConfirmEvent} ConfirmEvent */
/**
 * What the shopper confirmed in the wallet sheet: confirmPayment pays with it.
 * @typedef {{expressPaymentType: ExpressPaymentType, card: WalletCard, billingDetails: NonNullable<ConfirmEvent['billingDetails']>,
 *   shippingAddress?: ConfirmEvent['shippingAddress'], shippingRate?: ShippingRate}} Authorization
 */

/** @typedef {{token: string, label: string, number: string}} WalletCard */

/** The addresses in the sandbox wallet; `shippingaddresschange` gets only the redacted part. */
const ADDRESSES = [
  {
    label: 'Berlin, Germany',
    name: 'Jenny Rosen',
    address: { line1: 'Sandbox Street 1', line2: null, city: 'Berlin', state: '', postal_code: '10115', country: 'DE' },
  },
  {
    label: 'Amsterdam, Netherlands',
    name: 'Jan Jansen',
    address: { line1: 'Damrak 1', line2: null, city: 'Amsterdam', state: '', postal_code: '1012 JS', country: 'NL' },
  },
  {
    label: 'New York, United States',
    name: 'John Doe',
    address: {
      line1: '350 Fifth Avenue',
      line2: null,
      city: 'New York',
      state: 'NY',
      postal_code: '10118',
      country: 'US',
    },
  },
];
const EMAIL = 'wallet.shopper@example.com';
const PHONE = '+4930123456';

/** The cards in the sandbox wallet: the emulator's test cards (as the Payment Element path sends them). */
/** @type {WalletCard[]} */
const CARDS = [
  { token: 'pm_card_visa', label: 'Visa •••• 4242', number: '4242424242424242' },
  { token: 'pm_card_chargeDeclined', label: 'Visa •••• 0002 (declined)', number: '4000000000000002' },
  {
    token: 'pm_card_visa_chargeDeclinedInsufficientFunds',
    label: 'Visa •••• 9995 (insufficient funds)',
    number: '4000000000009995',
  },
];

/** @param {number} amount @param {string} currency */
function money(amount, currency) {
  const code = currency.toUpperCase();
  const format = new Intl.NumberFormat('en', { style: 'currency', currency: code });
  return format.format(amount / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/**
 * Stripe.js checks what resolve() is given and throws an IntegrationError naming the field.
 * @param {string} callback @param {ClickResolveDetails | ChangeResolveDetails | undefined} details
 */
function checkDetails(callback, details) {
  const fail = (/** @type {string} */ field, /** @type {string} */ what) => {
    throw new IntegrationError(`Missing value for ${callback}: ${field} should be ${what}.`);
  };
  (details?.lineItems ?? []).forEach((item, i) => {
    if (typeof item?.name !== 'string') fail(`lineItems.${i}.name`, 'a string');
    if (!Number.isInteger(item?.amount)) fail(`lineItems.${i}.amount`, 'an integer');
  });
  (details?.shippingRates ?? []).forEach((rate, i) => {
    if (typeof rate?.id !== 'string') fail(`shippingRates.${i}.id`, 'a string');
    if (typeof rate?.displayName !== 'string') fail(`shippingRates.${i}.displayName`, 'a string');
    if (!Number.isInteger(rate?.amount)) fail(`shippingRates.${i}.amount`, 'an integer');
  });
}

/**
 * The sandbox wallet sheet: an in-page dialog where the shopper picks an address, a shipping rate
 * and a card, and pays. It talks to the page through the Express Checkout Element's events.
 * @param {{
 *   wallet: {type: ExpressPaymentType, label: string},
 *   config: ExpressOptions & ClickResolveDetails,
 *   emit: (event: string, payload: object) => number,
 *   amount: () => number,
 *   currency: () => string,
 *   onClose: () => void,
 * }} context
 */
function openSheet({ wallet, config, emit, amount, currency, onClose }) {
  const allowed = config.allowedShippingCountries?.map((c) => c.toUpperCase());
  const addresses = ADDRESSES.filter((a) => !allowed || allowed.includes(a.address.country));
  const wantsShipping = config.shippingAddressRequired === true;
  /** @type {ShippingRate[]} */
  let rates = config.shippingRates ?? [];
  /** @type {LineItem[]} */
  let lineItems = config.lineItems ?? [];
  let rate = rates[0];
  let addressIndex = 0;
  let card = /** @type {WalletCard} */ (CARDS[0]);
  let error = '';
  let busy = false;
  let done = false;
  /** @type {((outcome: {ok: boolean, message?: string}) => void) | null} */
  let awaiting = null;

  const title = `${wallet.label} (sandbox wallet)`;
  const dialog = el('div', {
    class: 'sbx-dialog sbx-wallet',
    role: 'dialog',
    'aria-modal': 'true',
    'aria-label': title,
  });
  const overlay = el('div', { class: 'sbx-overlay', 'data-stripe-stand-in': 'wallet' }, [dialog]);
  applyAppearance(undefined, overlay);
  overlay.addEventListener('keydown', (e) => e.key === 'Escape' && !busy && cancel());
  document.body.append(overlay);

  const close = () => {
    overlay.remove();
    onClose();
  };
  const cancel = () => {
    if (done) return;
    done = true;
    close();
    emit('cancel', {});
  };

  /**
   * A change event the page answers with resolve(details) or reject().
   * @param {string} event @param {object} payload @returns {Promise<ChangeResolveDetails | null>}
   */
  const change = (event, payload) =>
    new Promise((resolve) => {
      let settled = false;
      const handled = emit(event, {
        ...payload,
        /** @param {ChangeResolveDetails} [given] */
        resolve(given) {
          if (settled) return;
          checkDetails(`${event} event resolve callback`, given);
          settled = true;
          resolve(given ?? {});
        },
        reject() {
          if (settled) return;
          settled = true;
          resolve(null);
        },
      });
      if (!handled) resolve({});
    });

  /** @param {ChangeResolveDetails} details */
  const apply = (details) => {
    if (details.lineItems) lineItems = details.lineItems;
    if (details.shippingRates) {
      rates = details.shippingRates;
      rate = rates.find((r) => r.id === rate?.id) ?? rates[0];
    }
  };

  const chooseAddress = async (/** @type {number} */ index) => {
    addressIndex = index;
    const chosen = addresses[index];
    if (!chosen) return;
    busy = true;
    error = '';
    draw();
    const { city, state, postal_code, country } = chosen.address;
    const details = await change('shippingaddresschange', {
      name: chosen.name,
      address: { city, state, postal_code, country },
    });
    busy = false;
    if (details) apply(details);
    else error = 'This address cannot be shipped to. Choose another address.';
    draw();
  };

  const chooseRate = async (/** @type {ShippingRate} */ next) => {
    const previous = rate;
    rate = next;
    busy = true;
    error = '';
    draw();
    const details = await change('shippingratechange', { shippingRate: next });
    busy = false;
    if (details) apply(details);
    else {
      rate = previous;
      error = 'This shipping rate is not available. Choose another one.';
    }
    draw();
  };

  const pay = async () => {
    const chosen = addresses[addressIndex];
    const address = chosen?.address ?? ADDRESSES[0]?.address;
    /** @type {Authorization} */
    const authorization = {
      expressPaymentType: wallet.type,
      card,
      billingDetails: {
        name: chosen?.name ?? 'Jenny Rosen',
        email: EMAIL,
        phone: PHONE,
        address: /** @type {NonNullable<typeof address>} */ ({ ...address }),
      },
      ...(wantsShipping && chosen ? { shippingAddress: { name: chosen.name, address: { ...chosen.address } } } : {}),
      ...(wantsShipping && rate ? { shippingRate: rate } : {}),
    };
    busy = true;
    error = '';
    status = 'Processing…';
    draw();
    const outcome = await new Promise((resolve) => {
      awaiting = resolve;
      pending = authorization;
      /** @type {Omit<ConfirmEvent, 'expressPaymentType'> & {expressPaymentType: ExpressPaymentType}} */
      const event = {
        expressPaymentType: wallet.type,
        billingDetails: {
          ...authorization.billingDetails,
          ...(config.emailRequired ? {} : { email: undefined }),
          ...(config.phoneNumberRequired ? {} : { phone: undefined }),
        },
        ...(authorization.shippingAddress ? { shippingAddress: authorization.shippingAddress } : {}),
        ...(authorization.shippingRate ? { shippingRate: authorization.shippingRate } : {}),
        paymentFailed(payload) {
          resolve({ ok: false, message: payload?.message ?? 'The payment could not be completed.' });
        },
      };
      if (!config.emailRequired) delete event.billingDetails?.email;
      if (!config.phoneNumberRequired) delete event.billingDetails?.phone;
      emit('confirm', event);
    });
    awaiting = null;
    pending = null;
    busy = false;
    if (outcome.ok) {
      done = true;
      status = 'Payment successful';
      draw();
      setTimeout(close, 1500);
    } else {
      status = '';
      error = `Payment failed: ${outcome.message}`;
      draw();
    }
  };

  let status = '';
  /** @type {Authorization | null} */
  let pending = null;

  function draw() {
    dialog.textContent = '';
    const business = config.business?.name;
    dialog.append(el('h2', {}, [title]));
    if (business) dialog.append(el('p', {}, [`Pay ${business}`]));
    if (wantsShipping) {
      const select = /** @type {HTMLSelectElement} */ (
        el('select', { id: 'sbx-wallet-address', 'aria-label': 'Shipping address' })
      );
      addresses.forEach((a, i) => select.append(el('option', { value: String(i) }, [a.label])));
      select.value = String(addressIndex);
      select.disabled = busy || done;
      select.addEventListener('change', () => void chooseAddress(Number(select.value)));
      dialog.append(el('label', { for: 'sbx-wallet-address' }, ['Shipping address']), select);
      const group = el('div', { role: 'radiogroup', 'aria-label': 'Shipping rate' });
      for (const r of rates) {
        const label = `${r.displayName} ${money(r.amount, currency())}`;
        const radio = /** @type {HTMLInputElement} */ (
          el('input', { type: 'radio', name: 'sbx-wallet-rate', value: r.id, 'aria-label': label })
        );
        radio.checked = r.id === rate?.id;
        radio.disabled = busy || done;
        radio.addEventListener('change', () => void chooseRate(r));
        group.append(el('label', { class: 'sbx-radio' }, [radio, label]));
      }
      dialog.append(group);
    }
    const cardSelect = /** @type {HTMLSelectElement} */ (
      el('select', { id: 'sbx-wallet-card', 'aria-label': 'Card in wallet' })
    );
    for (const c of CARDS) cardSelect.append(el('option', { value: c.token }, [c.label]));
    cardSelect.value = card.token;
    cardSelect.disabled = busy || done;
    cardSelect.addEventListener('change', () => {
      card = CARDS.find((c) => c.token === cardSelect.value) ?? card;
    });
    dialog.append(el('label', { for: 'sbx-wallet-card' }, ['Card in wallet']), cardSelect);
    const items = el('ul', { 'aria-label': 'Line items' });
    for (const item of lineItems) items.append(el('li', {}, [`${item.name}: ${money(item.amount, currency())}`]));
    dialog.append(items);
    dialog.append(
      el('p', { 'data-testid': 'wallet-total' }, [`Total: `, el('strong', {}, [money(amount(), currency())])]),
    );
    dialog.append(el('p', { role: 'alert', class: 'sbx-error' }, [error]));
    dialog.append(el('p', { role: 'status' }, [status]));
    const payButton = el('button', { type: 'button' }, ['Pay']);
    const blocked =
      busy || done || (wantsShipping && (addresses.length === 0 || (error !== '' && !error.startsWith('Payment'))));
    if (blocked) payButton.setAttribute('disabled', '');
    payButton.addEventListener('click', () => void pay());
    const cancelButton = el('button', { type: 'button' }, ['Cancel']);
    if (busy && awaiting) cancelButton.setAttribute('disabled', '');
    cancelButton.addEventListener('click', cancel);
    dialog.append(payButton, cancelButton);
  }

  draw();
  if (wantsShipping && addresses.length > 0) void chooseAddress(0);
  else if (wantsShipping) {
    error = 'None of the wallet’s addresses can be shipped to.';
    draw();
  }
  return {
    redraw: draw,
    authorization: () => pending,
    /** @param {{ok: boolean, message?: string}} outcome */
    settle: (outcome) => awaiting?.(outcome),
  };
}

module.exports = { openSheet, checkDetails, ADDRESSES, CARDS };
