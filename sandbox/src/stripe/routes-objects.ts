import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Customers } from './customers';
import { missing } from './errors';
import { filterEvents } from './events';
import { str } from './form';
import { asRequest, expand, idOf, paramsOf, secretOnly } from './http';
import { paginate, searchResult } from './lists';
import type { PaymentMethodDomains } from './payment-method-domains';
import type { PaymentMethods } from './payment-methods';
import type { EmulatorState } from './state';
import type { WebhookEndpoints } from './webhook-endpoints';
import type { Delivery } from './webhooks-delivery';

export interface ObjectRouteDeps {
  state: EmulatorState;
  customers: Customers;
  methods: PaymentMethods;
  endpoints: WebhookEndpoints;
  domains: PaymentMethodDomains;
  delivery: Delivery;
}

type Req = FastifyRequest;

/** Customers, customer sessions, payment methods, webhook endpoints, payment method domains and events. */
export function registerObjectRoutes(app: FastifyInstance, deps: ObjectRouteDeps): void {
  const { state, customers, methods, endpoints, domains, delivery } = deps;
  const act = <T>(request: Req, change: () => T) => asRequest(state, request, change);
  const p = paramsOf;

  app.post('/v1/customers', secretOnly, async (request: Req) =>
    expand(
      state,
      act(request, () => customers.create(p(request))),
      p(request),
    ),
  );
  app.get('/v1/customers', secretOnly, async (request: Req) => {
    const email = str(p(request), 'email');
    const items = [...state.customers.values()].filter((c) => !email || c.email === email);
    return paginate(items, p(request), '/v1/customers');
  });
  app.get('/v1/customers/search', secretOnly, async (request: Req) =>
    searchResult([...state.customers.values()], p(request), '/v1/customers/search'),
  );
  app.get('/v1/customers/:id', secretOnly, async (request: Req) =>
    expand(state, customers.get(idOf(request)), p(request)),
  );
  app.post('/v1/customers/:id', secretOnly, async (request: Req) =>
    expand(
      state,
      act(request, () => customers.update(idOf(request), p(request))),
      p(request),
    ),
  );
  app.delete('/v1/customers/:id', secretOnly, async (request: Req) =>
    act(request, () => customers.delete(idOf(request))),
  );
  app.get('/v1/customers/:id/payment_methods', secretOnly, async (request: Req) => {
    customers.get(idOf(request));
    const items = methods.listFor(idOf(request), str(p(request), 'type'));
    return paginate(items, p(request), `/v1/customers/${idOf(request)}/payment_methods`);
  });
  app.post('/v1/customer_sessions', secretOnly, async (request: Req) => customers.createSession(p(request)));

  // Stripe.js creates PaymentMethods with the publishable key from what the shopper entered.
  app.post('/v1/payment_methods', async (request: Req) => methods.createFromRequest(p(request)));
  // Without `customer` Stripe lists the account's PaymentMethods for Treasury flows, which the
  // emulator has none of (a customer's saved methods are listed with `customer`, or under
  // /v1/customers/:id/payment_methods); PaymentMethods attached to no one are never listed.
  app.get('/v1/payment_methods', secretOnly, async (request: Req) => {
    const customer = str(p(request), 'customer');
    const items = customer ? methods.listFor(customer, str(p(request), 'type')) : [];
    return paginate(items, p(request), '/v1/payment_methods');
  });
  app.get('/v1/payment_methods/:id', secretOnly, async (request: Req) =>
    expand(state, methods.get(idOf(request)), p(request)),
  );
  app.post('/v1/payment_methods/:id/attach', secretOnly, async (request: Req) =>
    act(request, () => methods.attach(idOf(request), str(p(request), 'customer', { required: true })!)),
  );
  app.post('/v1/payment_methods/:id/detach', secretOnly, async (request: Req) =>
    act(request, () => methods.detach(idOf(request))),
  );

  app.post('/v1/webhook_endpoints', secretOnly, async (request: Req) => endpoints.create(p(request)));
  app.get('/v1/webhook_endpoints', secretOnly, async (request: Req) =>
    paginate(endpoints.list(), p(request), '/v1/webhook_endpoints'),
  );
  app.get('/v1/webhook_endpoints/:id', secretOnly, async (request: Req) => endpoints.get(idOf(request)));
  app.post('/v1/webhook_endpoints/:id', secretOnly, async (request: Req) =>
    endpoints.update(idOf(request), p(request)),
  );
  app.delete('/v1/webhook_endpoints/:id', secretOnly, async (request: Req) => endpoints.delete(idOf(request)));

  app.post('/v1/payment_method_domains', secretOnly, async (request: Req) => domains.create(p(request)));
  app.get('/v1/payment_method_domains', secretOnly, async (request: Req) =>
    paginate(domains.list(p(request)), p(request), '/v1/payment_method_domains'),
  );
  app.get('/v1/payment_method_domains/:id', secretOnly, async (request: Req) => domains.get(idOf(request)));
  app.post('/v1/payment_method_domains/:id', secretOnly, async (request: Req) =>
    domains.update(idOf(request), p(request)),
  );
  app.post('/v1/payment_method_domains/:id/validate', secretOnly, async (request: Req) =>
    domains.validate(idOf(request)),
  );

  app.get('/v1/events', secretOnly, async (request: Req) =>
    paginate(filterEvents(state, delivery, p(request)), p(request), '/v1/events'),
  );
  app.get('/v1/events/:id', secretOnly, async (request: Req) => {
    const event = state.events.find((e) => e.id === idOf(request));
    if (!event) throw missing('event', idOf(request), 'id');
    return event;
  });
}
