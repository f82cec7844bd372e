import type { Order, Payment } from '@commercetools/platform-sdk';
import type Stripe from 'stripe';
import { StripeCustomerTypeDraft } from '../src/commercetools/custom-types';
import { isDuplicateKey } from '../src/commercetools/port';
import { HANDLED_EVENTS } from '../src/webhooks/events';
import { stripeFor } from './stripe';
import { call, startProcessor, type Processor, type World } from './world';

/**
 * A processor that receives the emulator's signed webhooks: the endpoint is registered in the
 * emulator (as post-deploy does) and the processor runs with its signing secret.
 */
export async function startWiredProcessor(
  world: World,
  overrides: Record<string, string | undefined> = {},
): Promise<Processor & { endpoint: Stripe.WebhookEndpoint }> {
  const stripe = stripeFor(world);
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/not-yet',
    enabled_events: [...HANDLED_EVENTS],
    api_version: '2026-10-28.endive',
  });
  const processor = await startProcessor(world, { STRIPE_WEBHOOK_SIGNING_SECRET: endpoint.secret, ...overrides });
  await stripe.webhookEndpoints.update(endpoint.id, { url: `${processor.url}/stripe/webhooks` });
  await installConnectorTypes(processor);
  return Object.assign(processor, { endpoint });
}

/** What post-deploy creates: the SDK's predefined types for card details and interactions. */
export async function installConnectorTypes(processor: Processor): Promise<void> {
  const types = processor.deps.sdk.ctCustomTypeService;
  const installs: (() => Promise<unknown>)[] = [
    () => types.createOrUpdatePredefinedPaymentMethodTypes(),
    () => types.createOrUpdatePredefinedInterfaceInteractionType(),
  ];
  // Processors started together race to create a type, and commercetools refuses the second
  // creation of a key (DuplicateField): the loser's second try finds the type and updates it.
  for (const install of installs) {
    await install().catch((error: unknown) => (isDuplicateKey(error) ? install() : Promise.reject(error)));
  }
}

/** What post-deploy creates with saved payment methods on: the connector's types and the customer's link to Stripe. */
export async function installSavedCardTypes(processor: Processor): Promise<void> {
  await installConnectorTypes(processor);
  await processor.deps.sdk.ctAPI.customType.create(StripeCustomerTypeDraft).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}

let customerSeq = 0;

/** A new commercetools customer (a shopper with an account); its id. */
export async function newCustomer(processor: Processor, label = 'shopper'): Promise<string> {
  const res = await processor.deps.sdk.ctAPI.client
    .customers()
    .post({ body: { email: `${label}-${Date.now()}-${customerSeq++}@example.com`, password: 'not-used-1' } })
    .execute();
  return res.body.customer.id;
}

/** Waits until the emulator has no delivery pending (delivered, or out of retries). */
export async function quiesce(world: World, timeoutMs = 15000): Promise<void> {
  const started = Date.now();
  let quietSince: number | undefined;
  while (Date.now() - started < timeoutMs) {
    const status = await call(`${world.sandbox.info.stripe}/_sandbox/webhooks/status`);
    if (status.body.pending === 0) {
      quietSince ??= Date.now();
      if (Date.now() - quietSince > 150) return;
    } else {
      quietSince = undefined;
    }
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error('webhook deliveries did not settle');
}

export async function control(world: World, path: string, json: unknown = {}) {
  const res = await call(`${world.sandbox.info.stripe}/_sandbox${path}`, { json });
  if (res.status >= 300) throw new Error(`control ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function ctControl(world: World, path: string, json: unknown) {
  const res = await call(`${world.sandbox.info.commercetools}/_sandbox${path}`, { json });
  if (res.status >= 300) throw new Error(`control ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const txView = (payment: Payment) =>
  payment.transactions
    .map((t) => ({ type: t.type, state: t.state, amount: t.amount.centAmount, interactionId: t.interactionId }))
    .sort((a, b) => `${a.type}${a.interactionId}`.localeCompare(`${b.type}${b.interactionId}`));

export async function ordersOfCart(p: Processor, cartId: string): Promise<Order[]> {
  const res = await p.deps.sdk.ctAPI.order.find(`cart(id="${cartId}")`);
  return res.results;
}
