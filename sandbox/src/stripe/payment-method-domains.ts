import { isIP } from 'node:net';
import type Stripe from 'stripe';
import { invalid, missing } from './errors';
import { bool, str, type Params } from './form';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';

/** The payment methods a domain is registered for, as the pinned API version's object lists them. */
const METHODS = ['amazon_pay', 'apple_pay', 'google_pay', 'klarna', 'link', 'paypal'] as const;

/** What Apple answers for a domain the sandbox makes fail its verification, unless a control says otherwise. */
export const APPLE_PAY_UNVERIFIED =
  'The domain could not be verified with Apple Pay: the domain association file was not found at /.well-known/apple-developer-merchantid-domain-association.';

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * Refuses a domain name Stripe cannot register: a URL (scheme, path, port, query), `localhost`
 * and IP addresses (nobody can verify them), anything that is not a dotted host name.
 */
function domainName(raw: string): string {
  const name = raw.trim().toLowerCase();
  const refuse = (why: string) =>
    invalid(`Invalid domain_name: ${raw}. ${why}`, 'domain_name', 'payment_method_domain_invalid');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(name))
    throw refuse('Provide the domain name only, without a scheme (e.g. shop.example.com).');
  if (/[/?#]/.test(name)) throw refuse('Provide the domain name only, without a path (e.g. shop.example.com).');
  if (/:\d*$/.test(name) && !name.includes('::'))
    throw refuse('Provide the domain name only, without a port (e.g. shop.example.com).');
  const bare = name.replace(/^\[|\]$/g, '');
  if (isIP(bare) !== 0) throw refuse('IP addresses cannot be registered; register a domain name.');
  if (name === 'localhost' || name.endsWith('.localhost'))
    throw refuse('localhost cannot be registered; use a public domain (e.g. through a tunnel such as ngrok).');
  const labels = name.split('.');
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label)) || !/[a-z]/.test(labels.at(-1)!))
    throw refuse('It is not a valid domain name.');
  return name;
}

/**
 * Payment method domains (`/v1/payment_method_domains`): registration, enabling, validation.
 * Every payment method is active on a registered domain, except Apple Pay on a domain the
 * sandbox makes fail Apple's verification (`unverifiedForApplePay`, a control).
 */
export class PaymentMethodDomains {
  constructor(private readonly state: EmulatorState) {}

  private stored(id: string): Stripe.PaymentMethodDomain {
    const domain = this.state.paymentMethodDomains.get(id);
    if (!domain) throw missing('payment_method_domain', id, 'payment_method_domain');
    return domain;
  }

  /** Apple Pay's status as Apple's verification of the domain would leave it now. */
  private verify(domain: Stripe.PaymentMethodDomain): void {
    const failure = this.state.applePayUnverified.get(domain.domain_name);
    domain.apple_pay =
      failure === undefined
        ? { status: 'active' }
        : { status: 'inactive', status_details: { error_message: failure || APPLE_PAY_UNVERIFIED } };
  }

  get(id: string): Stripe.PaymentMethodDomain {
    return structuredClone(this.stored(id));
  }

  create(params: Params): Stripe.PaymentMethodDomain {
    const name = domainName(str(params, 'domain_name', { required: true })!);
    if ([...this.state.paymentMethodDomains.values()].some((d) => d.domain_name === name))
      throw invalid(
        `A payment method domain for ${name} already exists; update it instead.`,
        'domain_name',
        'payment_method_domain_exists',
      );
    const domain = {
      id: newId('pmd'),
      object: 'payment_method_domain',
      created: nowSeconds(),
      domain_name: name,
      enabled: bool(params, 'enabled') ?? true,
      livemode: false,
      ...Object.fromEntries(METHODS.map((method) => [method, { status: 'active' }])),
    } as Stripe.PaymentMethodDomain;
    this.verify(domain);
    this.state.paymentMethodDomains.set(domain.id, domain);
    return structuredClone(domain);
  }

  update(id: string, params: Params): Stripe.PaymentMethodDomain {
    const domain = this.stored(id);
    const enabled = bool(params, 'enabled');
    if (enabled !== undefined) domain.enabled = enabled;
    return structuredClone(domain);
  }

  /** Checks the payment methods' requirements again (Apple's verification of the domain). */
  validate(id: string): Stripe.PaymentMethodDomain {
    const domain = this.stored(id);
    this.verify(domain);
    return structuredClone(domain);
  }

  list(params: Params): Stripe.PaymentMethodDomain[] {
    const name = str(params, 'domain_name')?.trim().toLowerCase();
    const enabled = bool(params, 'enabled');
    return [...this.state.paymentMethodDomains.values()]
      .filter((d) => (name === undefined || d.domain_name === name) && (enabled === undefined || d.enabled === enabled))
      .map((d) => structuredClone(d));
  }

  /**
   * A control: Apple's verification of `domainName` fails (with `message`, or Stripe's usual
   * one) or passes again. Applies to the domain now, as Stripe's periodic checks would, and to a
   * registration made later.
   */
  setApplePayVerified(domainName: string, verified: boolean, message?: string): Stripe.PaymentMethodDomain[] {
    const name = domainName.trim().toLowerCase();
    if (verified) this.state.applePayUnverified.delete(name);
    else this.state.applePayUnverified.set(name, message ?? '');
    const affected = [...this.state.paymentMethodDomains.values()].filter((d) => d.domain_name === name);
    affected.forEach((d) => this.verify(d));
    return affected.map((d) => structuredClone(d));
  }
}
