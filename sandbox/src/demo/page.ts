/**
 * The demo shop page. Plain HTML and a small script: it uses the enabler exactly as a
 * storefront would (UMD bundle, global `Connector`), after the Stripe.js stand-in.
 */

/** A shopping bag in the shop's blue, inline: the browser asks the server for no /favicon.ico. */
export const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="4" y="10" width="24" height="19" rx="3" fill="#0b57d0"/><path d="M11 13V9a5 5 0 0 1 10 0v4" fill="none" stroke="#0b57d0" stroke-width="3"/></svg>',
)}`;

export function page(options: { processorUrl: string; stripeUrl: string }): string {
  const config = JSON.stringify({ processorUrl: options.processorUrl });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox shop — Stripe connector for commercetools</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON}">
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; line-height: 1.45; max-width: 960px; margin: 1.5rem auto; padding: 0 1rem; color: #1a1a2e; background: #fff; }
  h1 { font-size: 1.4rem; margin: 0 0 .5rem; } h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
  .grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 2rem; }
  @media (max-width: 700px) { .grid { grid-template-columns: minmax(0, 1fr); gap: 0; } body { margin: .75rem auto; } }
  .summary { margin: 0 0 1rem; padding: .6rem .8rem; background: #f3f3f7; border-radius: 6px; }
  .summary dl { display: grid; grid-template-columns: 1fr auto; gap: .15rem 1rem; margin: 0; }
  .summary dt, .summary dd { margin: 0; } .summary .total { font-weight: 700; }
  .row { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
  .field { display: grid; gap: .25rem; }
  button, select, input { font: inherit; font-size: 1rem; min-height: 44px; border-radius: 6px; }
  select, input { padding: .4rem .5rem; border: 1px solid #767683; background: #fff; color: inherit; max-width: 100%; }
  button { padding: .5rem 1rem; cursor: pointer; border: 1px solid #767683; background: #fff; color: #1a1a2e; }
  button:disabled { cursor: not-allowed; opacity: .55; }
  button:focus-visible, select:focus-visible, input:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
  #pay { width: 100%; background: #0b57d0; border-color: #0b57d0; color: #fff; font-weight: 600; }
  #payment-element { margin: 1rem 0; }
  .check { display: flex; gap: .4rem; align-items: center; min-height: 44px; } .check input { min-height: auto; width: 1.2rem; height: 1.2rem; }
  #saved-cards { list-style: none; padding: 0; margin: 0; } #saved-cards li { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: .3rem 0; }
  h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
  /* The page's own status (#result) says what the enabler's status line would, with the codes. */
  #payment-element .ctc-status { display: none; }
  #result { padding: .6rem .8rem; border-radius: 6px; min-height: 1.2rem; margin: .75rem 0 0; overflow-wrap: anywhere; }
  #result:empty { padding: 0; }
  .ok { background: #e6f6ea; } .pending { background: #fff6d6; } .ko { background: #fde8e8; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; } td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; }
  caption { text-align: left; font-size: .85rem; color: #4a4a5a; padding-bottom: .25rem; }
  code { background: #f3f3f7; padding: 0 .2rem; } .hint { color: #4a4a5a; font-size: .9rem; }
  #payment-id { font-weight: 400; font-size: .8rem; color: #4a4a5a; overflow-wrap: anywhere; }
  #op-result { white-space: pre-wrap; overflow-wrap: anywhere; font-size: .8rem; }
  .group { margin: .5rem 0; } .group p { margin: .25rem 0; }
</style>
</head>
<body>
<main>
<h1>Sandbox shop</h1>
<p><a href="/product">Product page with express checkout (Apple Pay, Google Pay, Link)</a></p>
<div class="summary">
  <dl>
    <dt>Sandbox T-shirt</dt><dd>€25.00</dd>
    <dt>Shipping</dt><dd>€4.99</dd>
    <dt class="total">Total</dt><dd class="total">€29.99</dd>
  </dl>
</div>
<p class="hint">No account, no network: commercetools and Stripe are emulated.</p>
<div class="grid">
<section aria-labelledby="pay-heading">
  <h2 id="pay-heading">Pay</h2>
  <div class="row">
    <div class="field">
      <label for="kind">Pay with</label>
      <select id="kind">
        <option value="dropin">Payment Element (drop-in)</option>
        <option value="card">Card component</option>
        <option value="sepa_debit">SEPA Direct Debit component</option>
        <option value="ideal">iDEAL component</option>
      </select>
    </div>
    <button id="start" type="button">New cart</button>
  </div>
  <div class="row">
    <label class="check"><input type="checkbox" id="signed-in"> Signed in as the demo shopper</label>
    <label class="check"><input type="checkbox" id="save-card" disabled> Save my card for next time</label>
  </div>
  <div id="saved" hidden>
    <h3 id="saved-heading">Your saved cards</h3>
    <ul id="saved-cards" aria-labelledby="saved-heading"></ul>
  </div>
  <div id="payment-element"></div>
  <button id="pay" type="button" disabled>Pay</button>
  <p id="result" role="status" aria-live="polite"></p>
  <h2>Test cards</h2>
  <p class="hint">4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · 4000 0025 0000 3155 asks for 3-D Secure · any future expiry, any CVC</p>
</section>
<section aria-labelledby="payment-heading">
  <h2 id="payment-heading">commercetools payment <span id="payment-id"></span></h2>
  <table>
    <caption>Transactions of the payment</caption>
    <thead><tr><th scope="col">Transaction</th><th scope="col">State</th><th scope="col">Amount</th></tr></thead>
    <tbody id="transactions"></tbody>
  </table>
  <p id="order">No order yet.</p>
  <h2>Merchant panel</h2>
  <div class="field">
    <label for="amount">Amount in cents (capture and refund)</label>
    <input id="amount" type="number" inputmode="numeric" value="1000" min="1" style="width:8rem">
  </div>
  <div class="group row" role="group" aria-label="Operations through the connector">
    <button type="button" data-op="capturePayment" disabled>Capture</button><button type="button" data-op="refundPayment" disabled>Refund</button>
    <button type="button" data-op="cancelPayment" disabled>Cancel</button><button type="button" data-op="reversePayment" disabled>Reverse</button>
  </div>
  <div class="group">
    <p id="stripe-direct">In Stripe directly:</p>
    <div class="row" role="group" aria-labelledby="stripe-direct">
      <button type="button" data-stripe="dashboard-refund" disabled>Dashboard refund</button><button type="button" data-stripe="dispute" disabled>Open dispute</button>
      <button type="button" data-stripe="settle" disabled>Settle async payment</button>
    </div>
  </div>
  <pre id="op-result" aria-live="polite"></pre>
</section>
</div>
</main>
<script>window.DEMO = ${config};</script>
<script src="${options.stripeUrl}/v3/"></script>
<script src="/enabler/connector-enabler.umd.js"></script>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  // cart counts the carts of this page: a callback or an answer for an earlier cart is ignored.
  var state = { cart: 0, enabler: null, component: null, paymentReference: null, paymentIntent: null, paying: false, paid: false, orderNumber: null, outcome: null };
  function show(text, kind) { var r = $('result'); r.textContent = text; r.className = kind || ''; }
  function money(amount) {
    var digits = amount.fractionDigits === undefined ? 2 : amount.fractionDigits;
    return new Intl.NumberFormat('en', { style: 'currency', currency: amount.currencyCode }).format(amount.centAmount / Math.pow(10, digits));
  }
  function api(path, body) {
    return fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (json) { if (!res.ok) throw new Error(json.message || ('HTTP ' + res.status)); return json; }); });
  }
  /** The Pay button: enabled once a form is mounted, never while paying, never again after a payment went through. */
  function payButton() { $('pay').disabled = !state.component || state.paying || state.paid; }
  /** The merchant panel acts on the payment of this cart, so it waits for one. */
  function merchantButtons() {
    document.querySelectorAll('[data-op]').forEach(function (b) { b.disabled = !state.paymentReference; });
    document.querySelectorAll('[data-stripe]').forEach(function (b) { b.disabled = !state.paymentIntent; });
  }
  /** What the shopper reads once the payment went through, with the order number as soon as the order exists. */
  function confirmation() {
    if (state.outcome === 'pending' && !state.orderNumber) show('Payment pending: the bank is settling it. The order waits.', 'pending');
    else if (state.outcome) show('Payment approved. ' + (state.orderNumber ? 'Thank you: order ' + state.orderNumber + ' is confirmed.' : 'Creating your order…'), 'ok');
  }
  function succeeded(result) {
    state.paymentReference = result.paymentReference;
    state.paymentIntent = result.paymentIntent || state.paymentIntent;
    state.paid = true;
    state.outcome = result.isPending ? 'pending' : 'approved';
    payButton(); merchantButtons(); confirmation(); refresh();
  }
  function failed(error) {
    show('Payment failed: ' + error.message + ' (' + error.code + (error.declineCode ? ', ' + error.declineCode : '') + ')', 'ko');
  }
  function refresh() {
    var reference = state.paymentReference;
    if (!reference) return;
    api('/api/payments/' + reference).then(function (data) {
      if (reference !== state.paymentReference) return; // a New cart since
      $('payment-id').textContent = reference;
      state.paymentIntent = data.payment.interfaceId || state.paymentIntent;
      $('transactions').innerHTML = data.payment.transactions.map(function (t) {
        return '<tr data-type="' + t.type + '" data-state="' + t.state + '"><td>' + t.type + '</td><td>' + t.state + '</td><td>' + (t.amount.centAmount / 100).toFixed(2) + ' ' + t.amount.currencyCode + '</td></tr>';
      }).join('');
      $('order').textContent = data.order ? 'Order ' + data.order.orderNumber + ' — payment state ' + data.order.paymentState : 'No order yet.';
      $('order').dataset.paymentState = data.order ? data.order.paymentState : '';
      if (data.order && data.order.orderNumber !== state.orderNumber) { state.orderNumber = data.order.orderNumber; confirmation(); }
      merchantButtons();
    }).catch(function () { /* the next poll tries again */ });
  }
  setInterval(refresh, 700);
  function start(sessionId, cart) {
    var mine = function () { return cart === state.cart; };
    var enabler = new Connector.Enabler({
      processorUrl: window.DEMO.processorUrl,
      sessionId: sessionId,
      locale: 'en',
      onComplete: function (result) {
        // A refused payment also reaches onError, which shows why.
        if (!mine() || !result.isSuccess) return;
        succeeded(result);
      },
      onError: function (error, context) {
        if (!mine()) return;
        if (context && context.paymentReference) { state.paymentReference = context.paymentReference; merchantButtons(); }
        failed(error);
      }
    });
    state.enabler = enabler;
    enabler.setStorePaymentDetails($('save-card').checked);
    savedCards(enabler, cart);
    var kind = $('kind').value;
    var builder = kind === 'dropin' ? enabler.createDropinBuilder('embedded') : enabler.createComponentBuilder(kind);
    return builder.then(function (b) { var component = b.build({}); return component.mount('#payment-element').then(function () { return component; }); })
      .then(function (component) { if (!mine()) return; state.component = component; payButton(); show(''); })
      .catch(function (e) { if (mine()) show('Could not start: ' + e.message, 'ko'); });
  }
  /** The signed-in shopper's saved cards: pay with one in a click, or delete it. */
  function savedCards(enabler, cart) {
    $('saved-cards').innerHTML = '';
    $('saved').hidden = true;
    if (!$('signed-in').checked) return;
    enabler.getStoredPaymentMethods({ allowedMethodTypes: ['card'] }).then(function (found) {
      if (cart !== state.cart) return;
      var methods = found.storedPaymentMethods || [];
      $('saved').hidden = methods.length === 0;
      methods.forEach(function (m) {
        var li = document.createElement('li');
        var name = document.createElement('span');
        name.textContent = m.displayOptions.name;
        var use = document.createElement('button'); use.type = 'button'; use.textContent = 'Use ' + m.displayOptions.name;
        var remove = document.createElement('button'); remove.type = 'button'; remove.textContent = 'Delete ' + m.displayOptions.name;
        use.onclick = function () {
          enabler.createStoredPaymentMethodBuilder('card').then(function (b) {
            var component = b.build({ id: m.id });
            return component.mount('#payment-element').then(function () { if (cart === state.cart) { state.component = component; payButton(); show(''); } });
          }).catch(function (e) { show('Could not use the card: ' + e.message, 'ko'); });
        };
        remove.onclick = function () {
          enabler.createStoredPaymentMethodBuilder('card').then(function (b) { return b.build({ id: m.id }).remove(); })
            .then(function () { show('Card deleted.', 'ok'); savedCards(enabler, cart); })
            .catch(function (e) { show('Could not delete the card: ' + e.message, 'ko'); });
        };
        li.append(name, use, remove);
        $('saved-cards').append(li);
      });
    }).catch(function () { /* no saved cards to show */ });
  }
  $('signed-in').onchange = function () { $('save-card').disabled = !$('signed-in').checked; if (!$('signed-in').checked) $('save-card').checked = false; };
  $('save-card').onchange = function () { if (state.enabler) state.enabler.setStorePaymentDetails($('save-card').checked); };
  function reset() {
    state.cart += 1;
    state.component = null; state.paymentReference = null; state.paymentIntent = null;
    state.paying = false; state.paid = false; state.orderNumber = null; state.outcome = null;
    $('payment-element').innerHTML = '';
    $('payment-id').textContent = ''; $('transactions').innerHTML = ''; $('op-result').textContent = '';
    $('order').textContent = 'No order yet.'; $('order').dataset.paymentState = '';
    $('pay').textContent = 'Pay';
    show('');
    payButton(); merchantButtons();
  }
  $('start').onclick = function () {
    reset();
    var cart = state.cart;
    // Back from the bank, a reload must not finish that payment again.
    if (location.pathname !== '/') history.replaceState(null, '', '/');
    show('Preparing your cart…');
    api('/api/checkout', $('signed-in').checked ? { customer: true } : {}).then(function (c) {
      if (cart !== state.cart) return;
      sessionStorage.setItem('sessionId', c.sessionId);
      $('pay').textContent = 'Pay ' + money(c.amountPlanned);
      return start(c.sessionId, cart);
    }).catch(function (e) { if (cart === state.cart) show('Could not start: ' + e.message, 'ko'); });
  };
  $('pay').onclick = function () {
    if (!state.component || state.paying || state.paid) return;
    var cart = state.cart;
    state.paying = true; payButton();
    show('Paying…');
    Promise.resolve(state.component.submit()).catch(failed).then(function () {
      if (cart !== state.cart) return;
      state.paying = false; payButton();
    });
  };
  document.querySelectorAll('[data-op]').forEach(function (b) {
    b.onclick = function () {
      var op = b.dataset.op; var body = { action: op };
      if (op === 'capturePayment' || op === 'refundPayment') body.amount = { centAmount: Number($('amount').value), currencyCode: 'EUR' };
      // One Idempotency-Key per click, as a merchant tool should send: two clicks are two operations.
      api('/api/payments/' + state.paymentReference + '/operations', { action: body, key: crypto.randomUUID() }).then(function (r) { $('op-result').textContent = JSON.stringify(r); refresh(); })
        .catch(function (e) { $('op-result').textContent = e.message; });
    };
  });
  document.querySelectorAll('[data-stripe]').forEach(function (b) {
    b.onclick = function () {
      var pi = state.paymentIntent; var what = b.dataset.stripe;
      var control = what === 'dashboard-refund' ? { path: '/dashboard/payment_intents/' + pi + '/refund', body: { amount: Number($('amount').value) } }
        : what === 'dispute' ? { path: '/payment_intents/' + pi + '/dispute', body: {} } : { path: '/payment_intents/' + pi + '/settle', body: { outcome: 'succeeded' } };
      api('/api/stripe-control', control).then(function (r) { $('op-result').textContent = JSON.stringify({ id: r.id, status: r.status }); refresh(); })
        .catch(function (e) { $('op-result').textContent = e.message; });
    };
  });
  // Back from a redirect-based method (e.g. iDEAL): finish the payment.
  if (location.pathname === '/return' && new URLSearchParams(location.search).get('paymentReference')) {
    var cart = state.cart;
    var enabler = new Connector.Enabler({ processorUrl: window.DEMO.processorUrl, sessionId: sessionStorage.getItem('sessionId') || '' });
    show('Finishing your payment…');
    enabler.completeRedirect(location.href).then(function (result) {
      if (cart === state.cart) succeeded(result);
    }).catch(function (e) { if (cart === state.cart) failed(e); });
  }
})();
</script>
</body>
</html>`;
}
