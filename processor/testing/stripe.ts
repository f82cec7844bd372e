import Stripe from 'stripe';
import type { World } from './world';

/** The real stripe SDK pointed at the sandbox's emulator, as a test (or the browser) uses it. */
export function stripeFor(world: World, key = 'sk_test_sandbox'): Stripe {
  const url = new URL(world.sandbox.info.stripe);
  return new Stripe(key, {
    host: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    telemetry: false,
    maxNetworkRetries: 0,
  });
}

/** What Stripe.js does in the browser after `POST /payments`: confirm with the publishable key and client secret. */
export async function browserConfirm(
  world: World,
  clientSecret: string,
  paymentMethod: string,
  returnUrl?: string,
): Promise<Stripe.PaymentIntent | Stripe.errors.StripeError> {
  const browser = stripeFor(world, 'pk_test_sandbox');
  const id = clientSecret.split('_secret_')[0]!;
  try {
    return await browser.paymentIntents.confirm(id, {
      payment_method: paymentMethod,
      client_secret: clientSecret,
      ...(returnUrl ? { return_url: returnUrl } : {}),
    } as Stripe.PaymentIntentConfirmParams);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
}

export async function counters(
  world: World,
  service: 'commercetools' | 'stripe',
): Promise<{ total: number; byRoute: Record<string, { count: number }> }> {
  const base = service === 'commercetools' ? world.sandbox.info.commercetools : world.sandbox.info.stripe;
  return (await fetch(`${base}/_sandbox/counters`)).json() as never;
}

export async function resetCounters(world: World): Promise<void> {
  await Promise.all([
    fetch(`${world.sandbox.info.commercetools}/_sandbox/counters`, { method: 'DELETE' }),
    fetch(`${world.sandbox.info.stripe}/_sandbox/counters`, { method: 'DELETE' }),
  ]);
}
