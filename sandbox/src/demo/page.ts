/**
 * The demo shop page. Plain HTML and a small script: it uses the enabler exactly as a
 * storefront would (UMD bundle, global `Connector`), after the Stripe.js stand-in.
 */
export function page(options: { processorUrl: string; stripeUrl: string }): string {
  const config = JSON.stringify({ processorUrl: options.processorUrl });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sandbox shop — Stripe connector for commercetools</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2rem auto; padding: 0 1rem; color: #1a1a2e; }
  h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 2rem; }
  button { padding: .5rem 1rem; margin: .2rem .2rem .2rem 0; cursor: pointer; }
  #result { padding: .6rem; border-radius: 6px; min-height: 1.2rem; }
  .ok { background: #e6f6ea; } .pending { background: #fff6d6; } .ko { background: #fde8e8; }
  table { border-collapse: collapse; width: 100%; font-size: .9rem; } td, th { border-bottom: 1px solid #ddd; padding: .3rem; text-align: left; }
  code { background: #f3f3f7; padding: 0 .2rem; } small { color: #666; }
</style>
</head>
<body>
<h1>Sandbox shop</h1>
<p>One <strong>Sandbox T-shirt</strong>, EUR 25.00 + 4.99 shipping. No account, no network: commercetools and Stripe are emulated.</p>
<div class="grid">
<section>
  <h2>Pay</h2>
  <label>Pay with <select id="kind">
    <option value="dropin">Payment Element (drop-in)</option>
    <option value="card">Card component</option>
    <option value="sepa_debit">SEPA Direct Debit component</option>
    <option value="ideal">iDEAL component</option>
  </select></label>
  <button id="start">New cart</button>
  <div id="payment-element" style="margin:1rem 0"></div>
  <button id="pay" disabled>Pay</button>
  <div id="result"></div>
  <h2>Test cards</h2>
  <small>4242 4242 4242 4242 succeeds · 4000 0000 0000 0002 is declined · 4000 0025 0000 3155 asks for 3-D Secure · any future expiry, any CVC</small>
</section>
<section>
  <h2>commercetools payment <small id="payment-id"></small></h2>
  <table><thead><tr><th>transaction</th><th>state</th><th>amount</th></tr></thead><tbody id="transactions"></tbody></table>
  <p id="order">No order yet.</p>
  <h2>Merchant panel</h2>
  <input id="amount" type="number" value="1000" min="1" style="width:6rem"> cents
  <div>
    <button data-op="capturePayment">Capture</button><button data-op="refundPayment">Refund</button>
    <button data-op="cancelPayment">Cancel</button><button data-op="reversePayment">Reverse</button>
  </div>
  <div>In Stripe directly:
    <button data-stripe="dashboard-refund">Dashboard refund</button><button data-stripe="dispute">Open dispute</button>
    <button data-stripe="settle">Settle async payment</button>
  </div>
  <pre id="op-result"></pre>
</section>
</div>
<script>window.DEMO = ${config};</script>
<script src="${options.stripeUrl}/v3/"></script>
<script src="/enabler/connector-enabler.umd.js"></script>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var state = { component: null, paymentReference: null, paymentIntent: null };
  function show(text, kind) { var r = $('result'); r.textContent = text; r.className = kind || ''; }
  function api(path, body) {
    return fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (json) { if (!res.ok) throw new Error(json.message || ('HTTP ' + res.status)); return json; }); });
  }
  function refresh() {
    if (!state.paymentReference) return;
    api('/api/payments/' + state.paymentReference).then(function (data) {
      $('payment-id').textContent = state.paymentReference;
      state.paymentIntent = data.payment.interfaceId || state.paymentIntent;
      $('transactions').innerHTML = data.payment.transactions.map(function (t) {
        return '<tr data-type="' + t.type + '" data-state="' + t.state + '"><td>' + t.type + '</td><td>' + t.state + '</td><td>' + (t.amount.centAmount / 100).toFixed(2) + ' ' + t.amount.currencyCode + '</td></tr>';
      }).join('');
      $('order').textContent = data.order ? 'Order ' + data.order.orderNumber + ' — payment state ' + data.order.paymentState : 'No order yet.';
      $('order').dataset.paymentState = data.order ? data.order.paymentState : '';
    });
  }
  setInterval(refresh, 700);
  function start(sessionId) {
    var enabler = new Connector.Enabler({
      processorUrl: window.DEMO.processorUrl,
      sessionId: sessionId,
      locale: 'en',
      onComplete: function (result) {
        // A refused payment also reaches onError, which shows why.
        if (!result.isSuccess) return;
        state.paymentReference = result.paymentReference;
        show(result.isPending ? 'Payment pending: the bank is settling it. The order waits.' : 'Payment approved.', result.isPending ? 'pending' : 'ok');
        refresh();
      },
      onError: function (error, context) {
        if (context && context.paymentReference) state.paymentReference = context.paymentReference;
        show('Payment failed: ' + error.message + ' (' + error.code + (error.declineCode ? ', ' + error.declineCode : '') + ')', 'ko');
      }
    });
    var kind = $('kind').value;
    var builder = kind === 'dropin' ? enabler.createDropinBuilder('embedded') : enabler.createComponentBuilder(kind);
    $('payment-element').innerHTML = '';
    return builder.then(function (b) { state.component = b.build({}); return state.component.mount('#payment-element'); })
      .then(function () { $('pay').disabled = false; show(''); })
      .catch(function (e) { show('Could not start: ' + e.message, 'ko'); });
  }
  $('start').onclick = function () {
    state.paymentReference = null; $('transactions').innerHTML = ''; $('order').textContent = 'No order yet.';
    api('/api/checkout', {}).then(function (c) { sessionStorage.setItem('sessionId', c.sessionId); return start(c.sessionId); });
  };
  $('pay').onclick = function () { show('Paying…'); state.component.submit(); };
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
    var enabler = new Connector.Enabler({ processorUrl: window.DEMO.processorUrl, sessionId: sessionStorage.getItem('sessionId') || '' });
    enabler.completeRedirect(location.href).then(function (result) {
      state.paymentReference = result.paymentReference;
      show(result.isPending ? 'Payment pending.' : 'Payment approved.', result.isPending ? 'pending' : 'ok'); refresh();
    }).catch(function (e) { show('Payment failed: ' + e.message + ' (' + e.code + ')', 'ko'); });
  }
})();
</script>
</body>
</html>`;
}
