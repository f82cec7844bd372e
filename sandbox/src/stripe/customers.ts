import type Stripe from 'stripe';
import { addressFrom, shippingParam } from './addresses';
import { invalid, missing } from './errors';
import { metadata, obj, str, type Params } from './form';
import { newId, nowSeconds, randomToken } from './ids';
import { sessionComponents } from './customer-sessions';
import type { PaymentMethods } from './payment-methods';
import type { EmulatorState } from './state';

/** Customers and customer sessions (what the Payment Element needs to show saved methods). */
export class Customers {
  constructor(
    private readonly state: EmulatorState,
    private readonly methods: PaymentMethods,
  ) {}

  get(id: string): Stripe.Customer {
    const customer = this.state.customers.get(id);
    if (!customer) throw missing('customer', id, 'customer');
    return customer;
  }

  create(params: Params): Stripe.Customer {
    const email = str(params, 'email', { max: 512 });
    const customer: Stripe.Customer = {
      id: newId('cus'),
      object: 'customer',
      address: params.address === undefined || params.address === '' ? null : addressFrom(obj(params, 'address')),
      balance: 0,
      created: nowSeconds(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: str(params, 'description') ?? null,
      email: email ?? null,
      invoice_prefix: randomToken(8).toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: metadata(params) ?? {},
      name: str(params, 'name') ?? null,
      next_invoice_sequence: 1,
      phone: str(params, 'phone') ?? null,
      preferred_locales: [],
      shipping: shippingParam(params) ?? null,
      tax_exempt: 'none',
      test_clock: null,
    };
    this.state.customers.set(customer.id, customer);
    this.state.emit('customer.created', customer);
    const pm = str(params, 'payment_method');
    if (pm) this.methods.attach(pm, customer.id);
    return customer;
  }

  update(id: string, params: Params): Stripe.Customer {
    const customer = this.get(id);
    const before = structuredClone(customer);
    const set = <K extends 'email' | 'name' | 'description' | 'phone'>(field: K) => {
      const value = str(params, field);
      if (value !== undefined) customer[field] = value;
    };
    set('email');
    set('name');
    set('description');
    set('phone');
    const meta = metadata(params, customer.metadata);
    if (meta) customer.metadata = meta;
    if (params.address !== undefined)
      customer.address = params.address === '' ? null : addressFrom(obj(params, 'address'));
    const shipping = shippingParam(params);
    if (shipping !== undefined) customer.shipping = shipping;
    const defaultPm = str(obj(params, 'invoice_settings') ?? {}, 'default_payment_method');
    if (defaultPm) {
      if (this.methods.get(defaultPm).customer !== id)
        throw invalid(
          `The customer does not have a payment method with the ID ${defaultPm}.`,
          'invoice_settings[default_payment_method]',
          'resource_missing',
        );
      customer.invoice_settings.default_payment_method = defaultPm;
    }
    this.state.emitUpdated('customer.updated', customer, before);
    return customer;
  }

  delete(id: string): Stripe.DeletedCustomer {
    const customer = this.get(id);
    this.state.customers.delete(id);
    for (const pm of this.state.paymentMethods.values()) if (pm.customer === id) pm.customer = null;
    this.state.emit('customer.deleted', customer);
    return { id, object: 'customer', deleted: true };
  }

  createSession(params: Params): Stripe.CustomerSession {
    const customer = str(params, 'customer', { required: true })!;
    this.get(customer);
    const components = obj(params, 'components');
    if (!components) throw invalid('Missing required param: components.', 'components', 'parameter_missing');
    const session: Stripe.CustomerSession = {
      object: 'customer_session',
      client_secret: `cuss_secret_${randomToken(40)}`,
      components: sessionComponents(components),
      created: nowSeconds(),
      customer,
      customer_account: null,
      expires_at: nowSeconds() + 1800,
      livemode: false,
    };
    this.state.customerSessions.set(session.client_secret, session);
    return session;
  }
}
