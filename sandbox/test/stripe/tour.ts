import type Stripe from 'stripe';
import { stripeError, type EmulatorHarness } from './harness';

/** Stripe.js's call with the publishable key: the browser's view of a PaymentIntent. */
async function browserRetrieve(h: EmulatorHarness, pi: Stripe.PaymentIntent): Promise<unknown> {
  const res = await fetch(
    `${h.url}/v1/payment_intents/${pi.id}?client_secret=${encodeURIComponent(String(pi.client_secret))}`,
    { headers: { authorization: `Bearer ${h.emulator.publishableKey}` } },
  );
  return res.json();
}

const shipping = {
  name: 'Jenny Rosen',
  phone: '+4930123456',
  carrier: 'DHL',
  tracking_number: 'TRACK-1',
  address: { line1: 'Unter den Linden 1', city: 'Berlin', postal_code: '10117', country: 'DE' },
};

/**
 * Drives every kind of object the emulator makes through its HTTP API, as the connector and
 * Stripe's own moves do: card payments (success, decline, 3-D Secure, manual, partial and multi
 * capture, automatic_async, expiry), a bank debit, refunds (pending, failed), disputes (won,
 * lost, inquiry), customers, customer sessions, payment methods, webhook endpoints, balance,
 * events, lists and searches, and error answers.
 */
export async function tour(h: EmulatorHarness): Promise<void> {
  const { stripe } = h;
  const card = (params: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
    stripe.paymentIntents.create({
      amount: 2999,
      currency: 'eur',
      payment_method: 'pm_card_visa',
      confirm: true,
      metadata: { order: 'tour' },
      ...params,
    });

  // Customers, saved payment methods and customer sessions.
  const customer = await stripe.customers.create({
    email: 'jenny@example.com',
    name: 'Jenny Rosen',
    address: { line1: 'Unter den Linden 1', city: 'Berlin', country: 'DE' },
    shipping: { name: 'Jenny Rosen', address: { line1: 'Unter den Linden 1', country: 'DE' } },
    metadata: { ct: 'c-1' },
  });
  await stripe.customers.update(customer.id, { name: 'Jenny R.', phone: '+4930123456' });
  const pm = await stripe.paymentMethods.create({
    type: 'card',
    card: { number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' },
    billing_details: { name: 'Jenny Rosen', address: { country: 'DE' } },
  });
  await stripe.paymentMethods.attach(pm.id, { customer: customer.id });
  await stripe.customers.listPaymentMethods(customer.id);
  await stripe.paymentMethods.list({ customer: customer.id, type: 'card' });
  await stripe.paymentMethods.retrieve(pm.id);
  await stripe.customerSessions.create({
    customer: customer.id,
    components: {
      payment_element: {
        enabled: true,
        features: { payment_method_redisplay: 'enabled', payment_method_save: 'enabled' },
      },
    },
  });
  await stripe.customers.list({ limit: 3 });
  await stripe.customers.search({ query: "email:'jenny@example.com'" });

  // Card payments.
  const paid = await card({ customer: customer.id, shipping, setup_future_usage: 'off_session' });
  await stripe.paymentIntents.retrieve(paid.id, { expand: ['latest_charge', 'payment_method', 'customer'] });
  await stripeError(card({ payment_method: 'pm_card_chargeDeclined' }));
  const challenged = await card({ payment_method: 'pm_card_authenticationRequired' });
  await browserRetrieve(h, challenged);
  await h.control(`/payment_intents/${challenged.id}/authenticate`, {
    client_secret: challenged.client_secret,
    outcome: 'succeed',
  });
  const failedChallenge = await card({ payment_method: 'pm_card_authenticationRequired' });
  await h.control(`/payment_intents/${failedChallenge.id}/authenticate`, {
    client_secret: failedChallenge.client_secret,
    outcome: 'fail',
  });
  await card({ capture_method: 'automatic_async' });
  const redirected = await card({
    payment_method: 'pm_ideal',
    allowed_payment_method_types: ['ideal'],
    return_url: 'http://127.0.0.1:9/return',
  });
  await h.control(`/payment_intents/${redirected.id}/authenticate`, {
    client_secret: redirected.client_secret,
    outcome: 'succeed',
  });

  // Manual capture: partial, multicapture, cancel and expiry.
  const manual = await card({ capture_method: 'manual' });
  await stripe.paymentIntents.capture(manual.id, { amount_to_capture: 1000 });
  const multi = await card({
    capture_method: 'manual',
    payment_method_options: { card: { request_multicapture: 'if_available' } },
  });
  await stripe.paymentIntents.capture(multi.id, { amount_to_capture: 1000, final_capture: false });
  await stripe.paymentIntents.capture(multi.id, { amount_to_capture: 500 });
  const canceled = await card({ capture_method: 'manual' });
  await stripe.paymentIntents.cancel(canceled.id, { cancellation_reason: 'requested_by_customer' });
  const expiring = await card({ capture_method: 'manual' });
  await h.control(`/payment_intents/${expiring.id}/expire`);
  const open = await stripe.paymentIntents.create({ amount: 1500, currency: 'eur' });
  await stripe.paymentIntents.update(open.id, { shipping, description: 'tour', metadata: { step: 'update' } });
  await stripe.paymentIntents.confirm(open.id, { payment_method: 'pm_card_mastercard' });

  // A bank debit: processing, then settled.
  const sepa = await card({ payment_method: 'pm_sepa_debit', allowed_payment_method_types: ['sepa_debit'] });
  await h.control(`/payment_intents/${sepa.id}/settle`, {});

  // Refunds: immediate, updated, pending then settled, failed later.
  const refund = await stripe.refunds.create({ payment_intent: paid.id, amount: 500, reason: 'requested_by_customer' });
  await stripe.refunds.update(refund.id, { metadata: { why: 'tour' } });
  await h.control('/refunds/mode', { pending: true });
  const pending = await stripe.refunds.create({ payment_intent: paid.id, amount: 500 });
  await h.control('/refunds/mode', { pending: false });
  await h.control(`/refunds/${pending.id}/settle`, { outcome: 'succeeded' });
  const failing = await stripe.refunds.create({ payment_intent: paid.id, amount: 500 });
  await h.control(`/refunds/${failing.id}/settle`, { outcome: 'failed' });
  await stripe.refunds.list({ payment_intent: paid.id });
  await stripe.charges.retrieve(String(paid.latest_charge), { expand: ['refunds', 'balance_transaction'] });
  await stripe.charges.update(String(paid.latest_charge), { description: 'tour charge' });

  // Disputes: a chargeback won with evidence, one lost, an inquiry.
  const disputed = await card({ payment_method: 'pm_card_createDispute' });
  const [won] = (await stripe.disputes.list({ payment_intent: disputed.id })).data;
  await stripe.disputes.update(won!.id, { evidence: { uncategorized_text: 'winning_evidence' } });
  const lost = await card();
  const lostDispute = (await h.control(`/payment_intents/${lost.id}/dispute`, { reason: 'product_not_received' }))
    .body as Stripe.Dispute;
  await stripe.disputes.close(lostDispute.id);
  const inquired = await card({ payment_method: 'pm_card_createDisputeInquiry' });
  const [inquiry] = (await stripe.disputes.list({ payment_intent: inquired.id })).data;
  await stripe.disputes.update(inquiry!.id, { evidence: { customer_name: 'Jenny Rosen' }, submit: false });
  await stripe.disputes.retrieve(inquiry!.id);

  // Lists, searches, balance, events.
  await stripe.paymentIntents.list({ limit: 5 });
  await stripe.paymentIntents.list({ customer: 'cus_none' });
  await stripe.paymentIntents.search({ query: "metadata['order']:'tour'" });
  await stripe.charges.list({ payment_intent: paid.id });
  await stripe.charges.search({ query: "status:'succeeded'" });
  const txns = await stripe.balanceTransactions.list({ limit: 5 });
  await stripe.balanceTransactions.retrieve(txns.data[0]!.id);
  await stripe.balance.retrieve();
  const events = await stripe.events.list({ limit: 100 });
  await stripe.events.retrieve(events.data[0]!.id);
  await stripe.events.list({ type: 'charge.*', delivery_success: false });

  // Webhook endpoints and deletions.
  const endpoint = await stripe.webhookEndpoints.create({ url: 'http://127.0.0.1:9/hook', enabled_events: ['*'] });
  await stripe.webhookEndpoints.update(endpoint.id, { disabled: true, description: 'tour' });
  await stripe.webhookEndpoints.list();
  await stripe.webhookEndpoints.retrieve(endpoint.id);
  await stripe.webhookEndpoints.del(endpoint.id);

  // Payment method domains, one with Apple Pay's verification failed (status_details).
  await fetch(`${h.url}/_sandbox/payment_method_domains/apple_pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ domain_name: 'tour-unverified.example.com', verified: false }),
  });
  const domain = await stripe.paymentMethodDomains.create({ domain_name: 'tour.example.com' });
  await stripe.paymentMethodDomains.create({ domain_name: 'tour-unverified.example.com', enabled: false });
  await stripe.paymentMethodDomains.update(domain.id, { enabled: false });
  await stripe.paymentMethodDomains.validate(domain.id);
  await stripe.paymentMethodDomains.retrieve(domain.id);
  await stripe.paymentMethodDomains.list({ domain_name: 'tour.example.com' });
  await stripe.paymentMethods.detach(pm.id);
  await stripe.customers.del(customer.id);

  // Error answers: 404, 400, 401.
  await stripeError(stripe.paymentIntents.retrieve('pi_missing'));
  await stripeError(stripe.paymentIntents.capture(paid.id));
  await stripeError(h.browser.customers.list());
}
