import type Stripe from 'stripe';
import { addressFrom } from './addresses';
import { invalid, missing, StripeApiError } from './errors';
import { metadata, obj, oneOf, str, type Params } from './form';
import { newId, nowSeconds } from './ids';
import type { EmulatorState } from './state';
import { idealBank, TEST_CARD_NUMBERS, TEST_IBANS, TEST_METHODS, type TestMethod } from './test-methods';

/** As Stripe shows them: every field present, an address of nulls when none was given. */
function billingDetails(params: Params | undefined): Stripe.PaymentMethod.BillingDetails {
  return {
    address: addressFrom(params ? obj(params, 'address') : undefined),
    email: params ? (str(params, 'email') ?? null) : null,
    name: params ? (str(params, 'name') ?? null) : null,
    phone: params ? (str(params, 'phone') ?? null) : null,
    tax_id: null,
  };
}

function luhnValid(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}

/** The PaymentMethod object as the API returns it. */
export function paymentMethodObject(
  method: TestMethod,
  id: string,
  customer: string | null = null,
  billing: Stripe.PaymentMethod.BillingDetails = billingDetails(undefined),
): Stripe.PaymentMethod {
  const pm: Stripe.PaymentMethod = {
    id,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: billing,
    created: nowSeconds(),
    customer,
    customer_account: null,
    livemode: false,
    metadata: {},
    type: method.type,
  };
  if (method.card) {
    pm.card = {
      ...method.card,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      display_brand: method.card.brand,
      fingerprint: `fp${method.card.last4}${method.card.brand}`,
      generated_from: null,
      networks: { available: [method.card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    };
  }
  if (method.sepa_debit) {
    pm.sepa_debit = {
      ...method.sepa_debit,
      branch_code: null,
      fingerprint: `fpsepa${method.sepa_debit.last4}`,
      generated_from: null,
    };
  }
  if (method.ideal) pm.ideal = idealBank(method.ideal.bank);
  return pm;
}

/**
 * PaymentMethods: created by Stripe.js from what the shopper entered, or by Stripe itself each
 * time a test token (`pm_card_visa`) is used. The test behaviour of each stays internal.
 */
export class PaymentMethods {
  constructor(private readonly state: EmulatorState) {}

  /** A stored PaymentMethod, or the template of a test token (`GET /v1/payment_methods/pm_card_visa`). */
  get(id: string): Stripe.PaymentMethod {
    const stored = this.state.paymentMethods.get(id);
    if (stored) return stored;
    const token = TEST_METHODS[id];
    if (token) return paymentMethodObject(token, id);
    throw missing('PaymentMethod', id, 'payment_method');
  }

  behaviourOf(id: string): TestMethod {
    const method = this.state.methodOf.get(id);
    if (!method) throw missing('PaymentMethod', id, 'payment_method');
    return method;
  }

  private store(template: TestMethod, billing?: Stripe.PaymentMethod.BillingDetails): Stripe.PaymentMethod {
    const id = newId('pm');
    const pm = paymentMethodObject(template, id, null, billing);
    this.state.paymentMethods.set(id, pm);
    this.state.methodOf.set(id, { ...template, id });
    return pm;
  }

  /** The PaymentMethod a payment uses: a test token becomes a new PaymentMethod, as in Stripe. */
  resolve(idOrToken: string): Stripe.PaymentMethod {
    const stored = this.state.paymentMethods.get(idOrToken);
    if (stored) {
      this.refuseDetached(stored.id);
      return stored;
    }
    const token = TEST_METHODS[idOrToken];
    if (!token) throw missing('PaymentMethod', idOrToken, 'payment_method');
    return this.store(token);
  }

  /** `POST /v1/payment_methods`, or `payment_method_data` on a PaymentIntent. */
  create(params: Params, prefix?: string): Stripe.PaymentMethod {
    // Errors name the parameter as sent: `card[number]`, or `payment_method_data[card][number]`.
    const name = (...path: string[]) =>
      prefix
        ? `${prefix}[${path.join('][')}]`
        : `${path[0]}${path
            .slice(1)
            .map((p) => `[${p}]`)
            .join('')}`;
    const type = str(params, 'type', { required: true })!;
    const billing = billingDetails(obj(params, 'billing_details'));
    const details = obj(params, type) ?? {};
    let template: TestMethod | undefined;
    if (type === 'card') {
      const token = str(details, 'token');
      const number = (str(details, 'number') ?? '').replace(/[\s-]/g, '');
      if (token) template = TEST_METHODS[token];
      else if (!/^\d{12,19}$/.test(number) || !luhnValid(number)) {
        throw new StripeApiError(402, 'card_error', 'Your card number is incorrect.', {
          code: 'incorrect_number',
          param: name('card', 'number'),
        });
      } else {
        template = TEST_METHODS[TEST_CARD_NUMBERS[number] ?? ''];
        if (!template) {
          throw new StripeApiError(
            402,
            'card_error',
            'Your card was declined. Your request was in test mode, but used a non test (live) card. For a list of valid test cards, visit: https://stripe.com/docs/testing.',
            { code: 'card_declined', decline_code: 'test_mode_live_card', param: name('card', 'number') },
          );
        }
      }
      if (template && template.type !== 'card') template = undefined;
      if (template) {
        const expMonth = str(details, 'exp_month');
        const expYear = str(details, 'exp_year');
        template = {
          ...template,
          card: {
            ...template.card!,
            ...(expMonth ? { exp_month: Number(expMonth) } : {}),
            ...(expYear ? { exp_year: Number(expYear.length === 2 ? `20${expYear}` : expYear) } : {}),
          },
        };
      }
    } else if (type === 'sepa_debit') {
      const iban = (str(details, 'iban') ?? '').replace(/\s/g, '').toUpperCase();
      template = TEST_METHODS[TEST_IBANS[iban] ?? ''];
      if (!template) throw invalid('The IBAN you provided is invalid or not a test IBAN.', name('sepa_debit', 'iban'));
    } else if (type === 'ideal') {
      template = { ...TEST_METHODS.pm_ideal!, ideal: { bank: str(details, 'bank') ?? 'ing' } };
    } else {
      throw invalid(`Invalid type ${type}: the sandbox supports card, sepa_debit and ideal.`, name('type'));
    }
    if (!template) throw invalid('Unknown test card token.', name('card', 'token'));
    const pm = this.store(template, billing);
    const meta = metadata(params);
    if (meta) pm.metadata = meta;
    const redisplay = oneOf(params, 'allow_redisplay', ['always', 'limited', 'unspecified'] as const);
    if (redisplay) pm.allow_redisplay = redisplay;
    return pm;
  }

  createFromRequest(params: Params): Stripe.PaymentMethod {
    return this.create(params);
  }

  /** Stripe's refusal of a PaymentMethod detached from its customer, wherever it is used again. */
  private refuseDetached(id: string): void {
    if (this.state.detachedMethods.has(id))
      throw invalid(
        'The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
        'payment_method',
      );
  }

  attach(id: string, customer: string): Stripe.PaymentMethod {
    const pm = this.state.paymentMethods.get(id);
    if (!pm) throw missing('PaymentMethod', id, 'payment_method');
    this.refuseDetached(id);
    if (!this.state.customers.has(customer)) throw missing('customer', customer, 'customer');
    if (pm.customer && pm.customer !== customer) {
      throw invalid(
        'The payment method you provided has already been attached to a customer.',
        'payment_method',
        'payment_method_unexpected_state',
      );
    }
    const method = this.behaviourOf(id);
    if (method.behaviour.kind === 'decline') {
      throw new StripeApiError(402, 'card_error', method.behaviour.message, {
        code: method.behaviour.code,
        ...(method.behaviour.declineCode ? { decline_code: method.behaviour.declineCode } : {}),
      });
    }
    if (pm.customer !== customer) {
      pm.customer = customer;
      this.state.emit('payment_method.attached', pm);
    }
    return pm;
  }

  detach(id: string): Stripe.PaymentMethod {
    const pm = this.state.paymentMethods.get(id);
    if (!pm) throw missing('PaymentMethod', id, 'payment_method');
    if (!pm.customer)
      throw invalid(
        'The payment method you provided is not attached to a customer so detachment is impossible.',
        'payment_method',
        'payment_method_unexpected_state',
      );
    pm.customer = null;
    this.state.setUpForOffSession.delete(id);
    this.state.detachedMethods.add(id);
    this.state.emit('payment_method.detached', pm);
    return pm;
  }

  /** A customer's saved PaymentMethods, optionally of one type. */
  listFor(customer: string, type: string | undefined): Stripe.PaymentMethod[] {
    return [...this.state.paymentMethods.values()].filter(
      (pm) => pm.customer === customer && (!type || pm.type === type),
    );
  }
}
