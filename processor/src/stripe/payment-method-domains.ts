import { isIP } from 'node:net';
import type Stripe from 'stripe';

/** An allowed origin as a Stripe payment method domain: its hostname, or why Stripe cannot register it. */
export type OriginDomain = { origin: string; domain: string } | { origin: string; unregistrable: string };

/**
 * The hostname of an origin, as Stripe registers it (no scheme, no port). Stripe refuses what it
 * cannot verify: `localhost`, IP addresses, and wallets need HTTPS, so an `http://` origin is
 * never a wallet's page.
 */
export function originDomain(origin: string): OriginDomain {
  const url = new URL(origin);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (url.protocol !== 'https:') return { origin, unregistrable: 'not HTTPS: wallets are offered on HTTPS pages only' };
  if (host === 'localhost' || host.endsWith('.localhost'))
    return { origin, unregistrable: 'localhost cannot be registered with Stripe' };
  if (isIP(host) !== 0) return { origin, unregistrable: 'an IP address cannot be registered with Stripe' };
  return { origin, domain: host };
}

/** Each distinct hostname of the origins once (two ports of one host are one domain). */
export function originDomains(origins: readonly string[]): OriginDomain[] {
  const seen = new Set<string>();
  return origins
    .map(originDomain)
    .filter((d) => !('domain' in d) || (!seen.has(d.domain) && seen.add(d.domain) !== undefined));
}

/** The payment method domain Stripe has for a hostname, if any. */
export async function findPaymentMethodDomain(
  stripe: Stripe,
  domain: string,
): Promise<Stripe.PaymentMethodDomain | undefined> {
  const found = await stripe.paymentMethodDomains.list({ domain_name: domain, limit: 10 });
  return found.data.find((d) => d.domain_name === domain);
}
