import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Stripe } from '@stripe/stripe-js';

export interface Recorded {
  method: string;
  path: string;
  sessionId: string | undefined;
  body: unknown;
}

type Reply = { status: number; body: unknown };

/** A processor on a real port: answers per `METHOD path`, records every call. */
export async function fakeProcessor(routes: Record<string, Reply | ((body: unknown) => Reply)>) {
  const calls: Recorded[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '';
      const body = raw ? (JSON.parse(raw) as unknown) : undefined;
      calls.push({
        method: req.method ?? '',
        path,
        sessionId: req.headers['x-session-id'] as string | undefined,
        body,
      });
      const route = routes[`${req.method} ${path}`];
      const reply = typeof route === 'function' ? route(body) : route;
      res.statusCode = reply?.status ?? 404;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify(
          reply?.body ?? {
            statusCode: 404,
            message: 'no route',
            errors: [{ code: 'ResourceNotFound', message: 'no route' }],
          },
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface FakeStripeScript {
  submit?: { error?: { message: string; type: string } };
  confirm?: {
    error?: { type: string; code?: string; decline_code?: string; message?: string };
    paymentIntent?: { id: string; status: string };
  };
}

/** A Stripe.js double: records what the enabler passes to elements(), create() and confirmPayment(). */
export function fakeStripe(script: FakeStripeScript) {
  const seen: { elements?: unknown; create?: unknown; mountedOn?: string; confirm?: Record<string, unknown> } = {};
  let changeHandler: ((event: unknown) => void) | undefined;
  const element = {
    mount: (selector: string) => (seen.mountedOn = selector),
    on: (event: string, handler: (e: unknown) => void) => {
      if (event === 'change') changeHandler = handler;
      return element;
    },
  };
  const elements = {
    create: (type: string, options: unknown) => {
      seen.create = { type, options };
      return element;
    },
    submit: async () => script.submit ?? {},
  };
  const stripe = {
    elements: (options: unknown) => {
      seen.elements = options;
      return elements;
    },
    confirmPayment: async (options: Record<string, unknown>) => {
      seen.confirm = options;
      return script.confirm ?? { paymentIntent: { id: 'pi_1', status: 'succeeded' } };
    },
  };
  return { stripe: stripe as unknown as Stripe, seen, change: (event: unknown) => changeHandler?.(event) };
}
