/** The emulator's hosted pages: the bank a redirect-based method sends the shopper to, and the 3-D Secure challenge. */

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}button{font-size:1rem;padding:.6rem 1.2rem;margin:.3rem .3rem 0 0;cursor:pointer}';

function page(title: string, body: string): string {
  // An empty inline icon: the browser asks the emulator for no /favicon.ico (which would be a 404).
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,"><title>${escape(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

function buttons(action: string, token: string, labels: { succeed: string; fail: string }): string {
  const button = (outcome: 'succeed' | 'fail', label: string) =>
    `<form method="post" action="${escape(action)}" style="display:inline"><input type="hidden" name="token" value="${escape(token)}"><input type="hidden" name="outcome" value="${outcome}"><button id="${outcome}" type="submit">${escape(label)}</button></form>`;
  return button('succeed', labels.succeed) + button('fail', labels.fail);
}

export interface PageInput {
  id: string;
  token: string;
  amount: number;
  currency: string;
}

const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency.toUpperCase()}`;

export function redirectPage(input: PageInput): string {
  return page(
    'Sandbox bank',
    `<h1>Sandbox bank</h1><p>Authorize the test payment <code>${escape(input.id)}</code> of ${escape(money(input.amount, input.currency))}?</p>${buttons(`/_sandbox/redirect/${input.id}`, input.token, { succeed: 'Authorize test payment', fail: 'Fail test payment' })}`,
  );
}

export function challengePage(input: PageInput): string {
  return page(
    '3D Secure 2 test page',
    `<h1>3D Secure 2 test page</h1><p>Complete the authentication of <code>${escape(input.id)}</code> (${escape(money(input.amount, input.currency))})?</p>${buttons(`/_sandbox/3ds/${input.id}`, input.token, { succeed: 'Complete', fail: 'Fail' })}`,
  );
}

/**
 * What the challenge frame shows once answered. It tells the page that opened it (the Stripe.js
 * stand-in, in an iframe or a popup) with a `sandbox-3ds-complete` message.
 */
export function challengeDonePage(id: string, status: string): string {
  const message = JSON.stringify({ type: 'sandbox-3ds-complete', payment_intent: id, status });
  return page(
    'Authentication complete',
    `<p id="result">Authentication finished: ${escape(status)}.</p><script>(function(){var m=${message.replace(/</g, '\\u003c')};if(window.parent&&window.parent!==window)window.parent.postMessage(m,'*');if(window.opener)window.opener.postMessage(m,'*');})();</script>`,
  );
}

export function errorPage(message: string): string {
  return page('Sandbox', `<p id="error">${escape(message)}</p>`);
}
