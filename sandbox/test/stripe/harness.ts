import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { createStripeEmulator, type StripeEmulator, type StripeEmulatorOptions } from '../../src/stripe/server';

export interface EmulatorHarness {
  emulator: StripeEmulator;
  url: string;
  stripe: Stripe;
  /** The same API as a browser sees it: publishable key only. */
  browser: Stripe;
  control<T = any>(path: string, body?: unknown, method?: string): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startEmulator(options: StripeEmulatorOptions = {}): Promise<EmulatorHarness> {
  // Every answer and event is checked against the stripe package's types (a divergence is a 500).
  const emulator = await createStripeEmulator({
    webhookRetrySchedule: [100, 200, 400],
    validateShapes: true,
    ...options,
  });
  const url = await emulator.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = new URL(url);
  const client = (key: string) =>
    new Stripe(key, {
      host: '127.0.0.1',
      port: Number(port),
      protocol: 'http',
      telemetry: false,
      maxNetworkRetries: 0,
    });
  return {
    emulator,
    url,
    stripe: client(emulator.secretKey),
    browser: client(emulator.publishableKey),
    async control(path, body, method = 'POST') {
      const res = await fetch(`${url}/_sandbox${path}`, {
        method,
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
    close: async () => {
      const divergences = emulator.shapes?.divergences ?? [];
      await emulator.close();
      // A divergence was already answered as a 500; this also catches one nobody looked at.
      if (divergences.length > 0)
        throw new Error(`The emulator diverged from Stripe's types:\n${JSON.stringify(divergences, null, 2)}`);
    },
  };
}

/** The Stripe error a call failed with (fails the test when the call succeeded). */
export async function stripeError(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) return error;
    throw error;
  }
  throw new Error('expected a Stripe error');
}

/** Types of the events recorded about an object (by id, or by its PaymentIntent), oldest first. */
export async function eventTypes(h: EmulatorHarness, id: string): Promise<string[]> {
  const all = await h.stripe.events.list({ limit: 100 });
  return all.data
    .filter((e) => {
      const object = e.data.object as unknown as { id: string; payment_intent?: string };
      return object.id === id || object.payment_intent === id;
    })
    .map((e) => e.type)
    .reverse();
}

export interface Received {
  rawBody: string;
  signature: string;
  event: Stripe.Event;
}

/** A webhook receiver on a free port that answers with the statuses it is told to, in turn. */
export async function startReceiver(statuses: number[] = []): Promise<{
  url: string;
  received: Received[];
  close(): Promise<void>;
  waitFor(n: number, timeoutMs?: number): Promise<Received[]>;
}> {
  const received: Received[] = [];
  const queue = [...statuses];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      received.push({
        rawBody,
        signature: String(req.headers['stripe-signature']),
        event: JSON.parse(rawBody) as Stripe.Event,
      });
      res.statusCode = queue.shift() ?? 200;
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    async waitFor(n, timeoutMs = 5000) {
      const started = Date.now();
      while (received.length < n) {
        if (Date.now() - started > timeoutMs)
          throw new Error(
            `expected ${n} deliveries, got ${received.length}: ${received.map((r) => r.event.type).join(', ')}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
  };
}
