import { startJwksProxy, type JwksProxy } from '../../testing/jwks-proxy';
import { mcToken, rogueToken, signingKey } from '../../testing/tokens';
import { call, startProcessor, startWorld, type Processor, type World } from '../../testing/world';

let world: World;
let proxy: JwksProxy;
let issuerKey: Awaited<ReturnType<typeof signingKey>>;
const processors: Processor[] = [];

beforeAll(async () => {
  world = await startWorld();
  // Every processor reads jwt-mock's JWKS through the proxy, which counts the fetches; a second
  // key of the issuer is published from the start for the tokens jwt-mock cannot make.
  proxy = await startJwksProxy(world.jwt.info.jwksUrl);
  issuerKey = await signingKey(world, 'second-key');
  proxy.publish(issuerKey.jwk);
});
afterAll(async () => {
  await Promise.all(processors.map((p) => p.close()));
  await proxy?.close();
  await world?.stop();
});

async function processorWith(env: Record<string, string> = {}): Promise<Processor> {
  const processor = await startProcessor(world, { CTP_JWKS_URL: proxy.url, ...env });
  processors.push(processor);
  return processor;
}

/** A route behind the Merchant Center JWT that calls nothing upstream. */
const components = async (processor: Processor, token: string) =>
  (await call(`${processor.url}/operations/payment-components`, { headers: { authorization: `Bearer ${token}` } }))
    .status;

describe('JWKS fetches', () => {
  it('50 tokens with an unknown key id fetch the JWKS once; known keys still verify without a fetch', async () => {
    const processor = await processorWith();
    proxy.reset();
    const rogue = await rogueToken(world);
    const statuses: number[] = [];
    for (let i = 0; i < 50; i++) statuses.push(await components(processor, rogue));
    expect(statuses).toEqual(Array(50).fill(401));
    expect(proxy.fetches()).toBe(1);
    expect(await components(processor, await mcToken(world))).toBe(200);
    expect(await components(processor, await issuerKey.sign())).toBe(200);
    expect(proxy.fetches()).toBe(1);
  });

  it('a key published in a rotation is accepted after the cooldown, even during a flood of unknown key ids', async () => {
    const processor = await processorWith({ CTP_JWKS_COOLDOWN_SECONDS: '1' });
    expect(await components(processor, await mcToken(world))).toBe(200);
    const rotated = await signingKey(world, 'rotated-key');
    proxy.publish(rotated.jwk);
    proxy.reset();
    const rogue = await rogueToken(world);
    const floodUntil = Date.now() + 1300;
    let flood = 0;
    while (Date.now() < floodUntil) {
      expect(await components(processor, rogue)).toBe(401);
      flood++;
    }
    expect(flood).toBeGreaterThan(10);
    expect(proxy.fetches()).toBeLessThanOrEqual(2);
    expect(await components(processor, await rotated.sign())).toBe(200);
  });
});

describe('what a Merchant Center token must hold', () => {
  let processor: Processor;
  beforeAll(async () => (processor = await processorWith()));

  it('a token of a published key verifies', async () => {
    expect(await components(processor, await issuerKey.sign())).toBe(200);
  });

  it('a token without an expiry is refused', async () => {
    expect(await components(processor, await issuerKey.sign({}, { expires: false }))).toBe(401);
  });

  it('a token not valid yet is refused', async () => {
    expect(await components(processor, await issuerKey.sign({ nbf: Math.floor(Date.now() / 1000) + 600 }))).toBe(401);
  });

  it('an HS256 token keyed with the public key (algorithm confusion) is refused', async () => {
    expect(await components(processor, await issuerKey.signWithPublicKeyAsSecret())).toBe(401);
  });

  it('without CTP_JWT_AUDIENCE, any audience is accepted', async () => {
    expect(await components(processor, await mcToken(world, { aud: 'https://anything.example.com' }))).toBe(200);
  });
});

describe('CTP_JWT_AUDIENCE', () => {
  const audience = 'https://processor.example.com';
  let processor: Processor;
  beforeAll(async () => (processor = await processorWith({ CTP_JWT_AUDIENCE: audience })));

  it.each([
    ['the configured audience', 200, audience],
    ['a list of audiences holding it', 200, ['https://other.example.com', audience]],
    ['another audience', 401, 'https://other.example.com'],
    ['no audience', 401, undefined],
  ])('a token for %s answers %s', async (_name, status, aud) => {
    expect(await components(processor, await mcToken(world, aud === undefined ? {} : { aud }))).toBe(status);
  });
});
