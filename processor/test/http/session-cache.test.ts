import { counters, resetCounters } from '../../testing/stripe';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let cached: Processor;
let shortCache: Processor;
let uncached: Processor;

beforeAll(async () => {
  world = await startWorld();
  [cached, shortCache, uncached] = await Promise.all([
    startProcessor(world, {}),
    startProcessor(world, { SESSION_CACHE_SECONDS: '1' }),
    startProcessor(world, { SESSION_CACHE_SECONDS: '0' }),
  ]);
});
afterAll(async () => {
  await Promise.all([cached?.close(), shortCache?.close(), uncached?.close()]);
  await world?.stop();
});

const SESSION_ROUTE = 'GET /session-api/:projectKey/sessions/:id';
const sessionLookups = async () => (await counters(world, 'commercetools')).byRoute[SESSION_ROUTE]?.count ?? 0;
const expire = (sessionId: string) =>
  call(`${world.sandbox.info.commercetools}/_sandbox/sessions/${sessionId}/expire`, { method: 'POST' });
const config = (p: Processor, session: string) => call(`${p.url}/operations/config`, { session });

describe('checkout sessions are verified once per checkout, for a bounded time', () => {
  it('the browser calls of one checkout ask the Session API once', async () => {
    const { sessionId } = await checkout(world);
    await resetCounters(world);
    expect((await config(cached, sessionId)).status).toBe(200);
    expect((await call(`${cached.url}/config-element/payment`, { session: sessionId })).status).toBe(200);
    expect((await call(`${cached.url}/payments`, { session: sessionId, json: {} })).status).toBe(200);
    expect(await sessionLookups()).toBe(1);
  });

  it('concurrent first calls with one session share one verification', async () => {
    const { sessionId } = await checkout(world);
    await resetCounters(world);
    const answers = await Promise.all(Array.from({ length: 10 }, () => config(cached, sessionId)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await sessionLookups()).toBe(1);
  });

  it('each session is verified on its own: one cart never answers for another', async () => {
    const a = await checkout(world);
    const b = await checkout(world, { quantity: 2 });
    const [ea, eb] = await Promise.all([
      call(`${cached.url}/config-element/payment`, { session: a.sessionId }),
      call(`${cached.url}/config-element/payment`, { session: b.sessionId }),
    ]);
    expect(ea.body.cartInfo.amount).toBe(a.amountPlanned.centAmount);
    expect(eb.body.cartInfo.amount).toBe(b.amountPlanned.centAmount);
    expect(eb.body.cartInfo.amount).not.toBe(ea.body.cartInfo.amount);
    const again = await call(`${cached.url}/config-element/payment`, { session: a.sessionId });
    expect(again.body.cartInfo).toEqual(ea.body.cartInfo);
  });

  it('an unknown session is never cached: every call is asked about and refused', async () => {
    await resetCounters(world);
    const unknown = '11111111-2222-3333-4444-555555555555';
    const answers = await Promise.all([config(cached, unknown), config(cached, unknown)]);
    expect((await config(cached, unknown)).status).toBe(401);
    expect(answers.map((a) => a.status)).toEqual([401, 401]);
    expect(await sessionLookups()).toBeGreaterThanOrEqual(2);
  });

  it('an expired session is refused once the cache period has passed', async () => {
    const { sessionId } = await checkout(world);
    expect((await config(shortCache, sessionId)).status).toBe(200);
    await expire(sessionId);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const res = await config(shortCache, sessionId);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({
      statusCode: 401,
      errors: [expect.objectContaining({ code: expect.any(String) })],
    });
  });

  it('with SESSION_CACHE_SECONDS=0 every call asks the Session API, and an expired session is refused at once', async () => {
    const { sessionId } = await checkout(world);
    await resetCounters(world);
    expect((await config(uncached, sessionId)).status).toBe(200);
    expect((await config(uncached, sessionId)).status).toBe(200);
    expect(await sessionLookups()).toBe(2);
    await expire(sessionId);
    expect((await config(uncached, sessionId)).status).toBe(401);
  });
});
