import { FAVICON } from './page';

/**
 * The demo's product page: the T-shirt with express checkout buttons (Apple Pay, Google Pay,
 * Link). The wallet sheet's address and shipping method go to the demo's own storefront backend
 * (`/api/storefront/...`, against the commercetools API), as a real storefront would do it; the
 * enabler shows the cart's new total in the sheet after every change, and pays through the
 * processor.
 */
export function productPage(options: { processorUrl: string; stripeUrl: string }): string {
  const config = JSON.stringify({ processorUrl: options.processorUrl });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sandbox T-shirt — Sandbox shop</title>
<link rel="icon" type="image/svg+xml" href="${FAVICON}">
<style>
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, sans-serif; line-height: 1.45; max-width: 640px; margin: 1.5rem auto; padding: 0 1rem; color: #1a1a2e; background: #fff; }
  h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
  .price { font-size: 1.2rem; font-weight: 700; }
  #express { margin: 1rem 0; min-height: 48px; }
  #result { padding: .6rem .8rem; border-radius: 6px; min-height: 1.2rem; overflow-wrap: anywhere; }
  .ok { background: #e6f6ea; } .ko { background: #fde8e8; } .info { background: #eef3fd; }
  a { color: #0b57d0; }
</style>
</head>
<body>
<header><p><a href="/">Back to the checkout page</a></p></header>
<main>
  <h1>Sandbox T-shirt</h1>
  <p><span class="price">€25.00</span> <small>incl. VAT, plus shipping (chosen in your wallet)</small></p>
  <p>Pay in one step with your wallet: choose the address and the shipping method there, the total follows.</p>
  <div id="express" aria-label="Express checkout"></div>
  <p id="result" role="status" aria-live="polite"></p>
  <p id="order"></p>
</main>
<script>window.DEMO = ${config};</script>
<script src="${options.stripeUrl}/v3/"></script>
<script src="/enabler/connector-enabler.umd.js"></script>
<script>
(function () {
  var $ = function (id) { return document.getElementById(id); };
  function show(text, kind) { var r = $('result'); r.textContent = text; r.className = kind || ''; }
  function api(path, body) {
    return fetch(path, { method: body === undefined ? 'GET' : 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      .then(function (res) { return res.json().then(function (json) { if (!res.ok) throw new Error(json.message || ('HTTP ' + res.status)); return json; }); });
  }
  function watchOrder(paymentReference) {
    var tries = 0;
    var timer = setInterval(function () {
      api('/api/payments/' + paymentReference).then(function (data) {
        if (!data.order && ++tries < 60) return;
        clearInterval(timer);
        if (data.order) {
          $('order').textContent = 'Order ' + data.order.orderNumber + ' — payment state ' + data.order.paymentState;
          $('order').dataset.paymentState = data.order.paymentState;
        }
      });
    }, 500);
  }
  api('/api/checkout', {}).then(function (checkout) {
    var cart = '/api/storefront/carts/' + encodeURIComponent(checkout.cartId);
    document.body.dataset.cartId = checkout.cartId;
    var enabler = new Connector.Enabler({ processorUrl: window.DEMO.processorUrl, sessionId: checkout.sessionId, locale: 'en' });
    return enabler.createExpressBuilder('express').then(function (builder) {
      return builder.build({
        // ?countries=DE,US tries other lists (the shop's shipping zones decide what it can ship).
        allowedCountries: (new URLSearchParams(location.search).get('countries') || 'DE,NL,FR,BE,AT,ES,IT,IE').split(','),
        initialAmount: checkout.amountPlanned,
        onPayButtonClick: function () { show(''); return Promise.resolve({ sessionId: checkout.sessionId }); },
        onShippingAddressSelected: function (opts) { return api(cart + '/shipping-address', { address: opts.address }).then(function () {}); },
        getShippingMethods: function () { return api(cart + '/shipping-methods'); },
        onShippingMethodSelected: function (opts) { return api(cart + '/shipping-method', { id: opts.shippingMethod.id }).then(function () {}); },
        onPaymentSubmit: function (payload) { return api(cart + '/submit', payload).then(function () {}); },
        onComplete: function (result) {
          if (!result.isSuccess) return;
          show('Payment approved. Thank you!', 'ok');
          $('order').dataset.paymentReference = result.paymentReference;
          $('express').hidden = true;
          watchOrder(result.paymentReference);
        },
        onError: function (error) {
          if (error.code === 'express_canceled') return show('Wallet closed: nothing was charged.', 'info');
          show('Payment failed: ' + error.message + ' (' + error.code + (error.declineCode ? ', ' + error.declineCode : '') + ')', 'ko');
        }
      }).mount('#express');
    });
  }).catch(function (e) { show('Express checkout is not available: ' + e.message, 'ko'); });
})();
</script>
</body>
</html>`;
}
