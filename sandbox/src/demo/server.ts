import Fastify, { type FastifyInstance } from 'fastify';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { page } from './page';
import { productPage } from './product-page';
import { registerStorefront } from './storefront';

export interface DemoOptions {
  processorUrl: string;
  commercetoolsUrl: string;
  stripeUrl: string;
  projectKey: string;
  /** Folder with the built enabler bundles. */
  enablerDist: string;
}

/**
 * The demo checkout page: a small shop that pays through the enabler and shows the
 * commercetools payment and order, with a merchant panel. Everything secret stays here on the
 * server side (sandbox OAuth token); the browser only ever gets a session id.
 */
export function createDemo(options: DemoOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  let token: { value: string; until: number } | undefined;

  const ctToken = async (): Promise<string> => {
    if (token && token.until > Date.now()) return token.value;
    const res = await fetch(`${options.commercetoolsUrl}/_sandbox/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scope: `manage_project:${options.projectKey}`, expiresIn: 3600 }),
    });
    const body = (await res.json()) as { access_token: string };
    token = { value: body.access_token, until: Date.now() + 3_000_000 };
    return token.value;
  };
  const ct = async (p: string) => {
    const res = await fetch(`${options.commercetoolsUrl}/${options.projectKey}${p}`, {
      headers: { authorization: `Bearer ${await ctToken()}` },
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const ctCall = async (method: 'GET' | 'POST', p: string, body?: unknown) => {
    const res = await fetch(`${options.commercetoolsUrl}/${options.projectKey}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${await ctToken()}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const forward = async (url: string, init: RequestInit) => {
    const res = await fetch(url, init);
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : {} };
  };

  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(page({ processorUrl: options.processorUrl, stripeUrl: options.stripeUrl })),
  );
  app.get('/return', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(page({ processorUrl: options.processorUrl, stripeUrl: options.stripeUrl })),
  );
  app.get('/product', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(productPage({ processorUrl: options.processorUrl, stripeUrl: options.stripeUrl })),
  );
  app.get<{ Params: { file: string } }>('/enabler/:file', async (request, reply) => {
    const file = path.basename(request.params.file);
    if (!/^connector-enabler\.(es|umd)\.js$/.test(file)) return reply.code(404).send();
    return reply.type('text/javascript; charset=utf-8').send(readFileSync(path.join(options.enablerDist, file)));
  });

  // A cart and a checkout session (as commercetools Checkout would make them).
  // The demo shopper (a commercetools customer): their carts can save cards and pay with saved ones.
  const demoCustomer = async (): Promise<string> => {
    const found = await ctCall('GET', '/customers/key=demo-shopper');
    if (found.status === 200) return found.body.id as string;
    const created = await ctCall('POST', '/customers', {
      key: 'demo-shopper',
      email: 'sandra.box@example.com',
      firstName: 'Sandra',
      lastName: 'Box',
      authenticationMode: 'ExternalAuth',
    });
    const customer = (created.body.customer ?? created.body) as { id?: string };
    if (!customer.id) throw new Error(`the demo shopper could not be created (${created.status})`);
    return customer.id;
  };

  app.post<{ Body: { currency?: string; quantity?: number; customer?: boolean } | undefined }>(
    '/api/checkout',
    async (request, reply) => {
      const { customer, ...draft } = request.body ?? {};
      const res = await forward(`${options.commercetoolsUrl}/_sandbox/checkout-session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          ...draft,
          ...(customer === true ? { customerId: await demoCustomer() } : {}),
          metadata: {
            processorUrl: options.processorUrl,
            merchantReturnUrl: `${request.protocol}://${request.headers.host}/return`,
          },
        }),
      });
      return reply.code(res.status).send(res.body);
    },
  );

  // The storefront's own backend for express checkout (address, shipping methods).
  registerStorefront(app, ctCall);

  // The commercetools side, for the timeline.
  app.get<{ Params: { id: string } }>('/api/payments/:id', async (request, reply) => {
    const payment = await ct(`/payments/${encodeURIComponent(request.params.id)}`);
    if (payment.status !== 200) return reply.code(payment.status).send(payment.body);
    const orders = await ct(
      `/orders?where=${encodeURIComponent(`paymentInfo(payments(id="${request.params.id.replace(/"/g, '')}"))`)}`,
    );
    const order = (orders.body.results as Record<string, unknown>[] | undefined)?.[0];
    return {
      payment: payment.body,
      order: order
        ? {
            id: order.id,
            orderNumber: order.orderNumber,
            paymentState: order.paymentState,
            orderState: order.orderState,
          }
        : null,
    };
  });

  // Merchant panel: what the Merchant Center does through /operations (OAuth2, server side).
  app.post<{ Params: { id: string }; Body: { action?: Record<string, unknown>; key?: unknown } }>(
    '/api/payments/:id/operations',
    async (request, reply) => {
      const access = await ctToken();
      const key = typeof request.body?.key === 'string' ? request.body.key : undefined;
      const res = await forward(
        `${options.processorUrl}/operations/payment-intents/${encodeURIComponent(request.params.id)}`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${access}`,
            'content-type': 'application/json',
            ...(key ? { 'idempotency-key': key } : {}),
          },
          body: JSON.stringify({ actions: [request.body?.action ?? {}] }),
        },
      );
      return reply.code(res.status).send(res.body);
    },
  );

  // What happens at Stripe without the connector: dashboard actions, disputes, settlement.
  app.post<{ Body: { path: string; body?: unknown } }>('/api/stripe-control', async (request, reply) => {
    const target = String(request.body?.path ?? '');
    if (!/^\/(dashboard|payment_intents|charges|disputes|refunds)\/[\w/]+$/.test(target))
      return reply.code(400).send({ message: 'unknown control' });
    const res = await forward(`${options.stripeUrl}/_sandbox${target}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.body.body ?? {}),
    });
    return reply.code(res.status).send(res.body);
  });

  return app;
}
