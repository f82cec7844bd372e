// @ts-check
/* global document */
/** Plain DOM helpers, the stand-in's look, and the 3-D Secure test page. */

/** @typedef {import('@stripe/stripe-js').Appearance} Appearance */
/** @typedef {import('@stripe/stripe-js').PaymentIntent} PaymentIntent */

const CSS = `.sbx-pe{font:14px/1.4 var(--sbx-font,system-ui,sans-serif);color:var(--sbx-text,#30313d);display:grid;gap:10px}
.sbx-tabs{display:flex;gap:6px;flex-wrap:wrap}.sbx-tab{flex:1;padding:8px;border:1px solid #e0e6eb;border-radius:var(--sbx-radius,5px);background:var(--sbx-bg,#fff);cursor:pointer;font:inherit}
.sbx-tab[aria-selected=true]{border-color:var(--sbx-primary,#0570de);box-shadow:0 0 0 1px var(--sbx-primary,#0570de)}
.sbx-radio{display:flex;gap:8px;align-items:center;padding:8px;border:1px solid #e0e6eb;border-radius:var(--sbx-radius,5px)}
.sbx-pane{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:10px}.sbx-pane label{display:grid;gap:4px}.sbx-pane label:first-child{grid-column:1/-1}
.sbx-pane input{min-width:0;width:100%;box-sizing:border-box;padding:9px;border:1px solid #e0e6eb;border-radius:var(--sbx-radius,5px);font:inherit;background:var(--sbx-bg,#fff);color:inherit}
.sbx-pane input[aria-invalid=true]{border-color:#df1b41}.sbx-hint{grid-column:1/-1;color:#6d6e78;font-size:12px;margin:0}.sbx-error{color:#df1b41;min-height:1em}
.sbx-overlay{position:fixed;inset:0;background:rgba(0,0,0,.45);display:grid;place-items:center;z-index:2147483647}
.sbx-dialog{background:#fff;padding:24px;border-radius:8px;max-width:360px;font:15px/1.4 system-ui,sans-serif}.sbx-dialog button{margin:8px 8px 0 0;padding:8px 16px}`;

/** @param {string} tag @param {Record<string, string>} [attrs] @param {(Node | string)[]} [children] */
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** @param {Appearance | undefined} appearance @param {HTMLElement} root */
function applyAppearance(appearance, root) {
  if (!document.getElementById('sbx-style')) document.head.append(el('style', { id: 'sbx-style' }, [CSS]));
  const v = appearance?.variables ?? {};
  const vars = {
    primary: v.colorPrimary,
    text: v.colorText,
    bg: v.colorBackground,
    font: v.fontFamily,
    radius: v.borderRadius,
  };
  for (const [name, value] of Object.entries(vars)) if (value) root.style.setProperty(`--sbx-${name}`, value);
}

/**
 * The 3-D Secure test page, as a modal over the shop (Stripe.js shows the issuer's page the same way).
 * @param {PaymentIntent} pi @returns {Promise<'succeed' | 'fail'>}
 */
function challenge(pi) {
  return new Promise((resolve) => {
    const currency = pi.currency.toUpperCase();
    const digits =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    const amount = new Intl.NumberFormat('en', { style: 'currency', currency }).format(pi.amount / 10 ** digits);
    /** @param {'succeed' | 'fail'} outcome @param {string} label */
    const button = (outcome, label) => {
      const b = el('button', { type: 'button', 'data-outcome': outcome }, [label]);
      b.addEventListener('click', () => (overlay.remove(), resolve(outcome)));
      return b;
    };
    const dialog = el(
      'div',
      { class: 'sbx-dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': '3D Secure 2 Test Page' },
      [
        el('h2', {}, ['3D Secure 2 Test Page']),
        el('p', {}, [`Complete or fail the authentication of this ${amount} test payment.`]),
        button('succeed', 'Complete'),
        button('fail', 'Fail'),
      ],
    );
    const overlay = el('div', { class: 'sbx-overlay', 'data-stripe-stand-in': 'challenge' }, [dialog]);
    applyAppearance(undefined, overlay);
    document.body.append(overlay);
  });
}

module.exports = { el, applyAppearance, challenge };
