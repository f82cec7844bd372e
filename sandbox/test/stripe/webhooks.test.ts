import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { startEmulator, startReceiver, type EmulatorHarness } from './harness';

let h: EmulatorHarness;
beforeEach(async () => (h = await startEmulator({ webhookRetrySchedule: [50, 100, 200] })));
afterEach(() => h.close());

async function endpoint(url: string, events: string[] = ['*']) {
  return h.stripe.webhookEndpoints.create({
    url,
    enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
  });
}

const pay = () =>
  h.stripe.paymentIntents.create({
    amount: 2999,
    currency: 'eur',
    payment_method: 'pm_card_visa',
    confirm: true,
    capture_method: 'automatic',
  });

describe('signed webhook delivery', () => {
  it('signs every event as Stripe does: constructEvent accepts the raw body with the endpoint secret', async () => {
    const receiver = await startReceiver();
    try {
      const { secret } = await endpoint(receiver.url);
      await pay();
      const received = await receiver.waitFor(3);
      for (const r of received) {
        const event = Stripe.webhooks.constructEvent(r.rawBody, r.signature, secret!);
        expect(event.id).toMatch(/^evt_/);
        expect(() => Stripe.webhooks.constructEvent(r.rawBody, r.signature, 'whsec_wrong')).toThrow(
          Stripe.errors.StripeSignatureVerificationError,
        );
      }
      expect(received.map((r) => r.event.type)).toEqual([
        'payment_intent.created',
        'charge.succeeded',
        'payment_intent.succeeded',
      ]);
      expect(received[2]!.event.data.object).toMatchObject({ object: 'payment_intent', status: 'succeeded' });
    } finally {
      await receiver.close();
    }
  });

  it('delivers only the enabled events, and nothing to a disabled endpoint', async () => {
    const receiver = await startReceiver();
    const other = await startReceiver();
    try {
      await endpoint(receiver.url, ['payment_intent.succeeded']);
      const disabled = await endpoint(other.url);
      await h.stripe.webhookEndpoints.update(disabled.id, { disabled: true });
      await pay();
      await receiver.waitFor(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.received.map((r) => r.event.type)).toEqual(['payment_intent.succeeded']);
      expect(other.received).toEqual([]);
    } finally {
      await Promise.all([receiver.close(), other.close()]);
    }
  });

  it('retries a non-2xx answer with backoff until it is accepted', async () => {
    const receiver = await startReceiver([500, 503]);
    try {
      await endpoint(receiver.url, ['payment_intent.succeeded']);
      await pay();
      const received = await receiver.waitFor(3);
      expect(new Set(received.map((r) => r.event.id)).size).toBe(1);
      const status = await h.control('/webhooks/status', undefined, 'GET');
      expect(status.body.attempts.map((a: { status: number }) => a.status)).toEqual([500, 503, 200]);
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the schedule, and lists the event as undelivered', async () => {
    const receiver = await startReceiver([500, 500, 500, 500, 500]);
    try {
      await endpoint(receiver.url, ['payment_intent.succeeded']);
      const pi = await pay();
      await receiver.waitFor(4);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const undelivered = await h.stripe.events.list({ delivery_success: false, type: 'payment_intent.succeeded' });
      expect(undelivered.data.map((e) => (e.data.object as Stripe.PaymentIntent).id)).toEqual([pi.id]);
    } finally {
      await receiver.close();
    }
  });

  it('delivers each event several times when told to (duplicates)', async () => {
    const receiver = await startReceiver();
    try {
      await endpoint(receiver.url, ['payment_intent.succeeded']);
      await h.control('/webhooks/settings', { copies: 3 });
      await pay();
      const received = await receiver.waitFor(3);
      expect(new Set(received.map((r) => r.event.id)).size).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('holds events while paused and releases them in reverse or shuffled order', async () => {
    const receiver = await startReceiver();
    try {
      await endpoint(receiver.url);
      await h.control('/webhooks/pause');
      await pay();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(receiver.received).toEqual([]);
      expect((await h.control('/webhooks/status', undefined, 'GET')).body.pending).toBe(3);
      expect((await h.control('/webhooks/resume', { order: 'reverse' })).body.released).toBe(3);
      const received = await receiver.waitFor(3);
      expect(received.map((r) => r.event.type)).toEqual([
        'payment_intent.succeeded',
        'charge.succeeded',
        'payment_intent.created',
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('drops the next events when told to; they stay listable for reconciliation', async () => {
    const receiver = await startReceiver();
    try {
      await endpoint(receiver.url);
      await h.control('/webhooks/settings', { dropNext: 3 });
      const pi = await pay();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(receiver.received).toEqual([]);
      const events = await h.stripe.events.list({ delivery_success: false });
      expect(
        events.data.filter(
          (e) =>
            (e.data.object as { id: string }).id === pi.id || (e.data.object as Stripe.Charge).payment_intent === pi.id,
        ),
      ).toHaveLength(3);
    } finally {
      await receiver.close();
    }
  });
});

describe('more delivery rules', () => {
  it('signs each endpoint with its own secret and delivers to every matching endpoint', async () => {
    const a = await startReceiver();
    const b = await startReceiver();
    try {
      const ea = await endpoint(a.url, ['payment_intent.succeeded']);
      const eb = await endpoint(b.url, ['payment_intent.succeeded', 'charge.succeeded']);
      await pay();
      const [ra] = await a.waitFor(1);
      const rb = await b.waitFor(2);
      expect(Stripe.webhooks.constructEvent(ra!.rawBody, ra!.signature, ea.secret!).type).toBe(
        'payment_intent.succeeded',
      );
      for (const r of rb) expect(Stripe.webhooks.constructEvent(r.rawBody, r.signature, eb.secret!)).toBeTruthy();
      expect(() => Stripe.webhooks.constructEvent(ra!.rawBody, ra!.signature, eb.secret!)).toThrow();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('counts pending_webhooks down and lists delivered events with delivery_success=true', async () => {
    const receiver = await startReceiver();
    try {
      await endpoint(receiver.url, ['payment_intent.succeeded']);
      const pi = await pay();
      await receiver.waitFor(1);
      await h.emulator.delivery.idle();
      const [event] = (await h.stripe.events.list({ type: 'payment_intent.succeeded', delivery_success: true })).data;
      expect(event).toMatchObject({ pending_webhooks: 0, data: { object: { id: pi.id } } });
      expect((await h.stripe.events.list({ delivery_success: false })).data).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('an endpoint that does not answer in time is retried like a failure', async () => {
    const slow = await startEmulator({ webhookRetrySchedule: [50], webhookTimeoutMs: 100 });
    const hanging = http.createServer(() => undefined);
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = hanging.address() as AddressInfo;
      await slow.stripe.webhookEndpoints.create({
        url: `http://127.0.0.1:${port}/hook`,
        enabled_events: ['payment_intent.created'],
      });
      await slow.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' });
      await new Promise((resolve) => setTimeout(resolve, 400));
      const status = await slow.control('/webhooks/status', undefined, 'GET');
      expect(status.body.attempts.map((a: { status: string }) => a.status)).toEqual(['error', 'error']);
      expect((await slow.stripe.events.list({ delivery_success: false })).data).toHaveLength(1);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
      await slow.close();
    }
  });

  it('drops events of chosen types, and resends an event on demand', async () => {
    const receiver = await startReceiver();
    try {
      await endpoint(receiver.url, ['payment_intent.created', 'payment_intent.succeeded']);
      await h.control('/webhooks/settings', { dropTypes: ['payment_intent.created'] });
      await pay();
      const [first] = await receiver.waitFor(1);
      expect(first!.event.type).toBe('payment_intent.succeeded');
      expect((await h.control(`/webhooks/events/${first!.event.id}/resend`)).body).toEqual({ resent: 1 });
      const both = await receiver.waitFor(2);
      expect(both[1]!.event.id).toBe(first!.event.id);
      const dropped = await h.stripe.events.list({ type: 'payment_intent.created', delivery_success: false });
      expect(dropped.data).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  });

  it('shuffles a held batch when told to, delivering every event once', async () => {
    const receiver = await startReceiver();
    try {
      await endpoint(receiver.url, ['payment_intent.created']);
      await h.control('/webhooks/pause');
      const created = await Promise.all(
        Array.from({ length: 8 }, () => h.stripe.paymentIntents.create({ amount: 1000, currency: 'eur' })),
      );
      expect((await h.control('/webhooks/resume', { order: 'shuffle' })).body.released).toBe(8);
      const received = await receiver.waitFor(8);
      expect(received.map((r) => (r.event.data.object as Stripe.PaymentIntent).id).sort()).toEqual(
        created.map((p) => p.id).sort(),
      );
      expect((await h.control('/webhooks/resume', { order: 'sideways' })).status).toBe(400);
    } finally {
      await receiver.close();
    }
  });
});

describe('webhook endpoints', () => {
  it('returns the secret only on create, keeps the API version, updates and deletes', async () => {
    const created = await h.stripe.webhookEndpoints.create({
      url: 'https://example.test/hook',
      enabled_events: ['charge.refunded'],
      api_version: '2026-10-28.endive',
      metadata: { owner: 'connector' },
    });
    expect(created.secret).toMatch(/^whsec_/);
    const read = await h.stripe.webhookEndpoints.retrieve(created.id);
    expect(read.secret).toBeUndefined();
    expect(read).toMatchObject({
      url: 'https://example.test/hook',
      enabled_events: ['charge.refunded'],
      api_version: '2026-10-28.endive',
      status: 'enabled',
      metadata: { owner: 'connector' },
    });
    const updated = await h.stripe.webhookEndpoints.update(created.id, {
      url: 'https://example.test/other',
      enabled_events: ['*'],
    });
    expect(updated).toMatchObject({
      url: 'https://example.test/other',
      enabled_events: ['*'],
      api_version: '2026-10-28.endive',
    });
    expect((await h.stripe.webhookEndpoints.list()).data.map((e) => e.id)).toContain(created.id);
    expect(await h.stripe.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
    await expect(h.stripe.webhookEndpoints.retrieve(created.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it('created without an API version, shows api_version null (events then follow the account default)', async () => {
    const created = await h.stripe.webhookEndpoints.create({ url: 'https://example.test/hook', enabled_events: ['*'] });
    expect(created.api_version).toBeNull();
    expect((await h.stripe.webhookEndpoints.retrieve(created.id)).api_version).toBeNull();
  });

  it('refuses an invalid URL or an empty event list', async () => {
    await expect(h.stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({
      statusCode: 400,
    });
    await expect(h.stripe.webhookEndpoints.create({ url: 'https://x.test', enabled_events: [] })).rejects.toMatchObject(
      { statusCode: 400 },
    );
  });
});

describe('events', () => {
  it('lists by type and creation time, and retrieves one', async () => {
    const before = Math.floor(Date.now() / 1000);
    const pi = await pay();
    const succeeded = await h.stripe.events.list({ type: 'payment_intent.succeeded', created: { gte: before } });
    expect(succeeded.data).toHaveLength(1);
    expect((succeeded.data[0]!.data.object as Stripe.PaymentIntent).id).toBe(pi.id);
    expect((await h.stripe.events.retrieve(succeeded.data[0]!.id)).type).toBe('payment_intent.succeeded');
    expect((await h.stripe.events.list({ type: 'payment_intent.*' })).data.map((e) => e.type).sort()).toEqual([
      'payment_intent.created',
      'payment_intent.succeeded',
    ]);
    const both = await h.stripe.events.list({ types: ['charge.succeeded', 'payment_intent.created'] });
    expect(both.data.map((e) => e.type)).toEqual(['charge.succeeded', 'payment_intent.created']);
    expect((await h.stripe.events.list({ created: { lt: before } })).data).toEqual([]);
    const [newest, ...older] = (await h.stripe.events.list()).data;
    const previous = await h.stripe.events.list({ ending_before: older[0]!.id });
    expect(previous.data.map((e) => e.id)).toEqual([newest!.id]);
    expect(await h.stripe.events.retrieve('evt_nope').catch((e: { statusCode: number }) => e.statusCode)).toBe(404);
  });
});
