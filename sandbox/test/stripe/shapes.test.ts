/**
 * Everything the emulator answers and delivers conforms to the stripe package's types (through
 * the JSON Schemas generated from them): every object type, every list and search result, error
 * bodies and webhook payloads, driven through the HTTP API.
 */
import { ShapeValidators } from '../../src/stripe/shapes';
import { startEmulator, startReceiver, type EmulatorHarness } from './harness';
import { tour } from './tour';

let h: EmulatorHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  h = await startEmulator();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
  await h.close();
});

it('every answer, list, search result, error and event of a tour of the API conforms, and every schema is used', async () => {
  await h.stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
  await tour(h);
  await h.emulator.delivery.idle();

  const shapes = h.emulator.shapes!;
  expect(shapes.divergences).toEqual([]);
  // Each root schema (objects, lists, search results, deletions, errors, the browser's view of a
  // PaymentIntent, events) was checked at least once.
  const validators = ShapeValidators.load();
  expect([...shapes.checked.keys()].sort()).toEqual(validators.roots().sort());

  // The payloads as they reached the endpoint, checked on their own.
  expect(receiver.received.length).toBeGreaterThan(50);
  const delivered = receiver.received.map((r) => validators.check('Event', JSON.parse(r.rawBody)));
  expect(delivered.filter(Boolean)).toEqual([]);
  const types = new Set(receiver.received.map((r) => r.event.type));
  for (const type of [
    'payment_intent.succeeded',
    'payment_intent.payment_failed',
    'payment_intent.canceled',
    'charge.updated',
    'charge.refund.updated',
    'refund.updated',
    'charge.dispute.updated',
    'charge.dispute.closed',
    'customer.updated',
    'customer.deleted',
    'payment_method.detached',
  ]) {
    expect(types).toContain(type);
  }
});
