import { createHmac } from 'node:crypto';
import Stripe from 'stripe';
import { call, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let processor: Processor;
const secret = 'whsec_sandbox_signing_secret';

beforeAll(async () => {
  world = await startWorld();
  processor = await startProcessor(world, { STRIPE_WEBHOOK_SIGNING_SECRET: secret });
});
afterAll(async () => {
  await processor?.close();
  await world?.stop();
});

function anEvent(
  type: string,
  object: Record<string, unknown> = { id: 'pi_unknown', object: 'payment_intent' },
  livemode = false,
) {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    type,
    livemode,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
}

function post(payload: string, signature?: string, contentType = 'application/json') {
  return call(`${processor.url}/stripe/webhooks`, {
    raw: payload,
    contentType,
    headers: signature ? { 'stripe-signature': signature } : {},
  });
}

const sign = (payload: string, options: { secret?: string; timestamp?: number } = {}) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? secret,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });

describe('D19: the signature is verified on the raw body before anything else', () => {
  it('answers 400 without a Stripe-Signature header', async () => {
    const res = await post(anEvent('customer.created'));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('InvalidSignature');
  });

  it('answers 400 for a signature made with another secret', async () => {
    const payload = anEvent('customer.created');
    expect((await post(payload, sign(payload, { secret: 'whsec_other' }))).status).toBe(400);
  });

  it('answers 400 for a signature older than the tolerance', async () => {
    const payload = anEvent('customer.created');
    const res = await post(payload, sign(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 }));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].code).toBe('InvalidSignature');
  });

  it('answers 400 when the body was altered after signing, even by whitespace', async () => {
    const payload = anEvent('customer.created');
    const header = sign(payload);
    expect((await post(`${payload} `, header)).status).toBe(400);
    expect((await post(JSON.stringify(JSON.parse(payload), null, 2), header)).status).toBe(400);
  });

  it('accepts several v1 signatures (secret rotation) when one matches', async () => {
    const payload = anEvent('customer.created');
    const t = Math.floor(Date.now() / 1000);
    const v1 = (key: string) => createHmac('sha256', key).update(`${t}.${payload}`).digest('hex');
    const res = await post(payload, `t=${t},v1=${v1('whsec_old_secret')},v1=${v1(secret)}`);
    expect(res.status).toBe(200);
  });

  it('verifies whatever the content type says (the raw bytes are what Stripe signed)', async () => {
    const payload = anEvent('customer.created');
    expect((await post(payload, sign(payload), 'application/json; charset=utf-8')).status).toBe(200);
  });
});

describe('events that are not ours answer 200 so that Stripe does not retry them', () => {
  it('an unsupported event type', async () => {
    const payload = anEvent('customer.created', { id: 'cus_1', object: 'customer' });
    const res = await post(payload, sign(payload));
    expect(res).toMatchObject({
      status: 200,
      body: { received: true, status: 'ignored', reason: 'unsupported event type' },
    });
  });

  it('an event of the other Stripe mode', async () => {
    const payload = anEvent('payment_intent.succeeded', { id: 'pi_live', object: 'payment_intent' }, true);
    const res = await post(payload, sign(payload));
    expect(res).toMatchObject({ status: 200, body: { status: 'ignored', reason: 'other mode' } });
  });

  it('a charge without a PaymentIntent', async () => {
    const payload = anEvent('charge.succeeded', { id: 'ch_1', object: 'charge', payment_intent: null });
    // The charge object itself says it has no PaymentIntent: nothing to look up.
    const res = await post(payload, sign(payload));
    expect(res).toMatchObject({ status: 200, body: { status: 'ignored', reason: 'no PaymentIntent' } });
  });

  it('logs ids and types only, never the payload (D22)', async () => {
    const payload = anEvent('customer.created', {
      id: 'cus_secretive',
      object: 'customer',
      email: 'someone@example.com',
      client_secret: 'pi_x_secret_y',
    });
    await post(payload, sign(payload));
    const logs = processor.logs.join('\n');
    expect(logs).toContain('customer.created');
    expect(logs).not.toContain('someone@example.com');
    expect(logs).not.toContain('pi_x_secret_y');
    expect(logs).not.toContain(secret);
  });
});
