import Stripe from 'stripe';
import { stripeFor } from '../support/stripe';
import { mcToken, oauthToken } from '../support/tokens';
import { installConnectorTypes } from '../support/wired';
import { call, checkout, startProcessor, startWorld, type Processor, type World } from '../support/world';
import { rawRequest, type RawRequest, type RawResponse } from './raw-http';

/**
 * Issue 9, bad-input suite: every route, with valid credentials for it, gets malformed and
 * hostile input. Expected: a 4xx in the commercetools error shape (or, for inputs that are
 * merely unusual, the route's normal answer), never a 5xx, no crash and no state change.
 */

let world: World;
let processor: Processor;
const secret = 'whsec_sandbox_signing_secret';
const applePay = 'apple-association-content';

interface Ctx {
  /** Session whose cart must never get a payment. */
  sessionA: string;
  cartA: string;
  /** Session for inputs that are unusual but valid: `POST /payments` may pay its cart. */
  sessionT: string;
  /** Which of the two `POST /payments` uses for the case running. */
  paymentsSession: string;
  /** Session with one open payment (for confirm and operations). */
  sessionB: string;
  paymentB: string;
  paymentIntentB: string;
  jwt: string;
  oauth: string;
}
const ctx = {} as Ctx;

beforeAll(async () => {
  world = await startWorld();
  processor = await startProcessor(world, {
    STRIPE_WEBHOOK_SIGNING_SECRET: secret,
    STRIPE_APPLE_PAY_DOMAIN_ASSOCIATION: applePay,
    CONNECT_SERVICE_URL: 'http://127.0.0.1:1',
  });
  await installConnectorTypes(processor);
  const [a, b, t] = await Promise.all([checkout(world), checkout(world), checkout(world)]);
  ctx.sessionT = t.sessionId;
  ctx.sessionA = a.sessionId;
  ctx.cartA = a.cartId;
  ctx.sessionB = b.sessionId;
  const created = await call(`${processor.url}/payments`, { session: b.sessionId, json: {} });
  expect(created.status).toBe(200);
  ctx.paymentB = created.body.paymentReference;
  ctx.paymentIntentB = String(created.body.clientSecret).split('_secret_')[0]!;
  ctx.jwt = await mcToken(world);
  ctx.oauth = await oauthToken(world, 'manage_checkout_payment_intents:sandbox');
  snapshotB = await stateOfB();
});
afterAll(async () => {
  const rows = Object.entries(counts).map(([route, n]) => ({ route, cases: n }));
  rows.push({ route: 'total', cases: rows.reduce((sum, r) => sum + r.cases, 0) });
  // eslint-disable-next-line no-console -- the run prints its counts of cases
  console.log(`bad-input cases per route\n${rows.map((r) => `${r.route.padEnd(48)} ${r.cases}`).join('\n')}`);
  await processor?.close();
  await world?.stop();
});

// ---------------------------------------------------------------------------------------------
// Routes

type RouteName =
  | 'GET /operations/config'
  | 'GET /config-element/:paymentComponent'
  | 'POST /payments'
  | 'POST /confirmPayments/:paymentReference'
  | 'GET /operations/status'
  | 'GET /operations/payment-components'
  | 'POST /operations/payment-intents/:paymentId'
  | 'POST /stripe/webhooks'
  | 'GET /openapi.json'
  | 'GET /applePayConfig'
  | 'GET /.well-known/apple-developer-merchantid-domain-association';

interface Route {
  name: RouteName;
  method: 'GET' | 'POST';
  /** The path with a good parameter, or with `id` in place of the parameter. */
  path: (id?: string) => string;
  auth: () => [string, string][];
  /** A good JSON body (POST routes). */
  body?: () => string;
  /** Status of the good request. */
  ok: number;
}

const session = (s: () => string) => (): [string, string][] => [['x-session-id', s()]];
const bearer = (t: () => string) => (): [string, string][] => [['authorization', `Bearer ${t()}`]];
const none = (): [string, string][] => [];

const routes: Route[] = [
  {
    name: 'GET /operations/config',
    method: 'GET',
    path: () => '/operations/config',
    auth: session(() => ctx.sessionA),
    ok: 200,
  },
  {
    name: 'GET /config-element/:paymentComponent',
    method: 'GET',
    path: (id = 'payment') => `/config-element/${id}`,
    auth: session(() => ctx.sessionA),
    ok: 200,
  },
  {
    name: 'POST /payments',
    method: 'POST',
    path: () => '/payments',
    auth: session(() => ctx.paymentsSession),
    body: () => '{}',
    ok: 200,
  },
  {
    name: 'POST /confirmPayments/:paymentReference',
    method: 'POST',
    path: (id = ctx.paymentB) => `/confirmPayments/${id}`,
    auth: session(() => ctx.sessionB),
    body: () => '{}',
    ok: 200,
  },
  {
    name: 'GET /operations/status',
    method: 'GET',
    path: () => '/operations/status',
    auth: bearer(() => ctx.jwt),
    ok: 0,
  },
  {
    name: 'GET /operations/payment-components',
    method: 'GET',
    path: () => '/operations/payment-components',
    auth: bearer(() => ctx.jwt),
    ok: 200,
  },
  {
    name: 'POST /operations/payment-intents/:paymentId',
    method: 'POST',
    path: (id = ctx.paymentB) => `/operations/payment-intents/${id}`,
    auth: bearer(() => ctx.oauth),
    // Over-capture of a PaymentIntent nobody paid: rejected by the processor without calling Stripe.
    body: () =>
      JSON.stringify({ actions: [{ action: 'capturePayment', amount: { centAmount: 1, currencyCode: 'EUR' } }] }),
    ok: 200,
  },
  {
    name: 'POST /stripe/webhooks',
    method: 'POST',
    path: () => '/stripe/webhooks',
    auth: none,
    body: () => anEvent('customer.created'),
    ok: 200,
  },
  { name: 'GET /openapi.json', method: 'GET', path: () => '/openapi.json', auth: none, ok: 200 },
  { name: 'GET /applePayConfig', method: 'GET', path: () => '/applePayConfig', auth: none, ok: 200 },
  {
    name: 'GET /.well-known/apple-developer-merchantid-domain-association',
    method: 'GET',
    path: () => '/.well-known/apple-developer-merchantid-domain-association',
    auth: none,
    ok: 200,
  },
];

function anEvent(type: string, object: Record<string, unknown> = { id: 'cus_1', object: 'customer' }): string {
  return JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    type,
    livemode: false,
    created: Math.floor(Date.now() / 1000),
    data: { object },
  });
}
const sign = (payload: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret });

// ---------------------------------------------------------------------------------------------
// Cases

/**
 * `4xx`: must be refused (optionally with that exact status). `tolerated`: unusual but not
 * wrong (an extra query parameter, a body on a GET): the route may answer normally; never 5xx.
 */
type Expectation = { kind: '4xx'; status?: number; protocol?: true } | { kind: 'tolerated' };
const refused = (status?: number): Expectation => ({ kind: '4xx', ...(status ? { status } : {}) });
/**
 * Refused by node's HTTP parser before fastify routes anything (fastify's clientErrorHandler
 * answers `{error, message, statusCode}`, not the commercetools shape: reported, not fixed here).
 */
const rejectedByParser = (status: number): Expectation => ({ kind: '4xx', status, protocol: true });
/** Refused by fastify's router (FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH): same shape caveat. */
const rejectedByRouter = rejectedByParser;
const tolerated: Expectation = { kind: 'tolerated' };

interface Case {
  route: Route;
  name: string;
  request: () => RawRequest;
  expect: Expectation;
}

const json = (body: string, contentType = 'application/json'): Pick<RawRequest, 'body' | 'headers'> => ({
  body,
  headers: [['content-type', contentType]],
});

function request(route: Route, extra: Partial<RawRequest> = {}): RawRequest {
  const isWebhook = route.name === 'POST /stripe/webhooks';
  const body = extra.body ?? route.body?.();
  const headers: [string, string][] = [
    ...route.auth(),
    ...(isWebhook && typeof body === 'string' ? ([['stripe-signature', sign(body)]] as [string, string][]) : []),
    ...(extra.headers ?? (body !== undefined ? ([['content-type', 'application/json']] as [string, string][]) : [])),
  ];
  return { method: route.method, path: route.path(), ...extra, headers, ...(body !== undefined ? { body } : {}) };
}

const KIB = 1024;
const MALFORMED_JSON = [
  ['truncated object', '{'],
  ['missing value', '{"a":}'],
  ['single quotes', "{'a':1}"],
  ['trailing comma', '{"a":1,}'],
  ['bare word', 'nul'],
  ['two documents', '{}{}'],
  ['unterminated string', '"abc'],
  ['NUL byte', '\u0000'],
  ['empty body', ''],
  ['whitespace only', '   '],
  ['NaN literal', '{"a":NaN}'],
  ['comment', '{/* c */}'],
  ['__proto__ pollution', '{"__proto__":{"polluted":true}}'],
  ['constructor.prototype pollution', '{"constructor":{"prototype":{"polluted":true}}}'],
  ['deep nesting', `${'['.repeat(5000)}${']'.repeat(5000)}`],
] as const;
const WRONG_TOP_LEVEL = [
  ['an array', '[]'],
  ['an array of objects', '[{}]'],
  ['a string', '"payment"'],
  ['a number', '42'],
  ['null', 'null'],
  ['a boolean', 'true'],
] as const;
const BAD_CONTENT_TYPES = [
  ['text/plain', 'text/plain'],
  ['form-encoded', 'application/x-www-form-urlencoded'],
  ['multipart', 'multipart/form-data; boundary=x'],
  ['xml', 'application/xml'],
  ['a lookalike', 'application/jsonx'],
  ['garbage', '%%%'],
] as const;
const BAD_IDS = [
  ['dot-dot', '..'],
  ['traversal', '../../etc/passwd'],
  ['encoded dot-dot', '%2e%2e'],
  ['encoded traversal', '%2e%2e%2f%2e%2e%2fpayments'],
  ['encoded slash', 'a%2Fb'],
  ['double-encoded slash', 'a%252Fb'],
  ['backslash', '..%5C..%5Cx'],
  ['very long', 'a'.repeat(4000)],
  ['one over the limit', 'a'.repeat(65)],
  ['unicode', '%C3%A9t%C3%A9'],
  ['emoji', '%F0%9F%92%B3'],
  ['invalid UTF-8', '%C3%28'],
  ['encoded NUL', 'abc%00def'],
  ['encoded CRLF', 'abc%0D%0ASet-Cookie:%20x=1'],
  ['bad percent-encoding', '%ZZ'],
  ['space', 'a%20b'],
  ['quote', "'%20OR%201=1"],
  ['__proto__', '__proto__'],
  ['underscore id', 'pi_123'],
] as const;

function commonCases(route: Route): Case[] {
  const cases: Case[] = [];
  const add = (name: string, req: () => RawRequest, expect: Expectation) =>
    cases.push({ route, name, request: req, expect });
  const good = () => request(route);

  // Wrong methods (fastify answers 404: no such route for the method).
  for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'FOO'].filter((m) => m !== route.method)) {
    const expected = method === 'FOO' ? rejectedByParser(400) : refused(404);
    add(`method ${method}`, () => ({ ...good(), method, ...(method === 'GET' ? { body: undefined } : {}) }), expected);
  }

  // Path injection on the route itself.
  const paths: [string, (base: string) => string][] = [
    ['a trailing dot-dot segment', (base) => `${base}/..`],
    ['a traversal to another route', (base) => `${base}/../../operations/config`],
    ['an encoded traversal', (base) => `${base}/%2e%2e/%2e%2e/openapi.json`],
    ['an encoded slash suffix', (base) => `${base}%2F..`],
    ['a doubled leading slash', (base) => `/${base}`],
    ['an encoded NUL suffix', (base) => `${base}%00`],
    ['a unicode suffix', (base) => `${base}%C3%A9`],
    ['a semicolon parameter', (base) => `${base};jsessionid=1`],
    ['an upper-cased path', (base) => base.toUpperCase()],
    ['a very long suffix', (base) => `${base}/${'a'.repeat(8000)}`],
  ];
  for (const [name, path] of paths)
    add(`path with ${name}`, () => ({ ...good(), path: path(route.path()) }), refused());
  const base = (suffix: string) => () => ({ ...good(), path: `${route.path()}${suffix}` });
  add('raw NUL in the request line', base('\u0000'), rejectedByParser(400));
  add('raw space in the request line', base(' x'), rejectedByParser(400));
  add('a URL over the header limit', base(`?q=${'a'.repeat(20 * KIB)}`), rejectedByParser(431));
  add('a malformed query string', base('?%ZZ=%&&=='), tolerated);
  add('a __proto__ query parameter', base('?__proto__[polluted]=1'), tolerated);
  add('a repeated query parameter', base('?a=1&a=2&a=3'), tolerated);

  // Header injection, written raw (fetch refuses CR and LF in values).
  const withHeaders = (headers: [string, string][]) => () => {
    const g = good();
    return { ...g, headers: [...(g.headers ?? []), ...headers] };
  };
  add('a bare CR in a header value', withHeaders([['x-foo', 'a\rb']]), rejectedByParser(400));
  add('a NUL in a header value', withHeaders([['x-foo', 'a\u0000b']]), rejectedByParser(400));
  add('an obs-fold header continuation', withHeaders([['x-foo', 'a\r\n folded']]), rejectedByParser(400));
  add('an invalid header name', withHeaders([['x foo', '1']]), rejectedByParser(400));
  add('a header over the size limit', withHeaders([['x-foo', 'a'.repeat(20 * KIB)]]), rejectedByParser(431));
  add(
    'a CRLF-injected x-session-id',
    withHeaders([['x-foo', 'a\r\nx-session-id: 11111111-1111-1111-1111-111111111111']]),
    tolerated,
  );
  add('a CRLF-injected authorization', withHeaders([['x-foo', 'a\r\nauthorization: Bearer forged']]), tolerated);
  add('a latin-1 header value', withHeaders([['x-foo', 'caf\u00e9']]), tolerated);
  add('a forged x-request-id', withHeaders([['x-request-id', `${'r'.repeat(2000)}\u00e9`]]), tolerated);
  add('a forged x-forwarded-for', withHeaders([['x-forwarded-for', '127.0.0.1, <script>']]), tolerated);
  if (route.auth().length > 0) {
    const [[name]] = route.auth() as [[string, string]];
    // The forged value comes first: node keeps the first authorization and joins x-session-id.
    add(
      `a forged ${name} before the valid one`,
      () => {
        const g = good();
        const forged: [string, string] = [name, name === 'authorization' ? 'Bearer forged' : 'forged'];
        return { ...g, headers: [forged, ...(g.headers ?? [])] };
      },
      refused(401),
    );
    add(
      `a ${name} with a trailing CR`,
      () => {
        const g = good();
        const headers = (g.headers ?? []).map(([n, v]): [string, string] => (n === name ? [n, `${v}\r`] : [n, v]));
        return { ...g, headers };
      },
      rejectedByParser(400),
    );
    add(
      `a ${name} with 300 extra characters`,
      () => {
        const g = good();
        const headers = (g.headers ?? []).map(([n, v]): [string, string] =>
          n === name ? [n, `${v}${'x'.repeat(300)}`] : [n, v],
        );
        return { ...g, headers };
      },
      refused(401),
    );
  }

  // Broken framing: request smuggling attempts.
  add(
    'content-length and transfer-encoding together',
    () => {
      const g = good();
      return {
        ...g,
        body: '0\r\n\r\n',
        noFraming: true,
        headers: [...(g.headers ?? []), ['content-length', '5'], ['transfer-encoding', 'chunked']],
      };
    },
    rejectedByParser(400),
  );
  add(
    'two different content-lengths',
    () => {
      const g = good();
      return {
        ...g,
        body: '{}',
        noFraming: true,
        headers: [...(g.headers ?? []), ['content-length', '2'], ['content-length', '3']],
      };
    },
    rejectedByParser(400),
  );
  add(
    'a negative content-length',
    () => {
      const g = good();
      return { ...g, body: '{}', noFraming: true, headers: [...(g.headers ?? []), ['content-length', '-2']] };
    },
    rejectedByParser(400),
  );

  if (route.method === 'GET') {
    // A body on a GET is ignored by fastify: not an error, never a 5xx.
    add('a JSON body on GET', () => ({ ...good(), ...json('{"a":1}') }), tolerated);
    add('a malformed JSON body on GET', () => ({ ...good(), ...json('{') }), tolerated);
    add('a huge body on GET', () => ({ ...good(), ...json(`"${'x'.repeat(100 * KIB)}"`) }), tolerated);
  }
  return cases;
}

/** Cases for routes with a JSON body (everything but the webhooks, which take raw bytes). */
function jsonBodyCases(route: Route, fields: [string, unknown, Expectation?][]): Case[] {
  const cases: Case[] = [];
  const add = (name: string, req: () => RawRequest, expect: Expectation) =>
    cases.push({ route, name, request: req, expect });
  for (const [name, body] of MALFORMED_JSON)
    add(`malformed JSON: ${name}`, () => request(route, json(body)), refused(400));
  for (const [name, body] of WRONG_TOP_LEVEL) add(`JSON ${name}`, () => request(route, json(body)), refused(400));
  for (const [name, type] of BAD_CONTENT_TYPES) {
    add(`content type ${name}`, () => request(route, json(route.body!(), type)), refused());
  }
  add('no content type with a body', () => request(route, { body: route.body!(), headers: [] }), refused());
  add(
    'a UTF-16 body',
    () =>
      request(route, {
        body: Buffer.from(route.body!(), 'utf16le'),
        headers: [['content-type', 'application/json; charset=utf-16']],
      }),
    refused(400),
  );
  add(
    'a body just over 64 KiB',
    () => request(route, json(JSON.stringify({ pad: 'x'.repeat(64 * KIB) }))),
    refused(413),
  );
  add('a 1 MiB body', () => request(route, json(JSON.stringify({ pad: 'x'.repeat(1024 * KIB) }))), refused(413));
  add(
    'a chunked 100 KiB body',
    () => ({ ...request(route, json(JSON.stringify({ pad: 'x'.repeat(100 * KIB) }))), chunked: true }),
    refused(413),
  );
  for (const [name, body, expect] of fields) {
    add(
      name,
      () => request(route, json(typeof body === 'string' ? body : JSON.stringify(body))),
      expect ?? refused(400),
    );
  }
  return cases;
}

const ROUTER_REJECTS: Record<string, Expectation> = {
  'very long': rejectedByRouter(414),
  'invalid UTF-8': rejectedByRouter(400),
  'bad percent-encoding': rejectedByRouter(400),
};
function idCases(route: Route): Case[] {
  return BAD_IDS.map(([name, id]) => ({
    route,
    name: `parameter: ${name}`,
    request: () => ({ ...request(route), path: route.path(id) }),
    expect: ROUTER_REJECTS[name] ?? refused(),
  }));
}

const byName = (name: RouteName) => routes.find((r) => r.name === name)!;
const money = (centAmount: unknown, currencyCode: unknown = 'EUR') => ({ centAmount, currencyCode });
const capture = (amount: unknown, extra: Record<string, unknown> = {}) => ({
  actions: [{ action: 'capturePayment', amount, ...extra }],
});

const cases: Case[] = [
  ...routes.flatMap(commonCases),
  ...idCases(byName('GET /config-element/:paymentComponent')),
  ...['Payment', 'card;drop', 'a'.repeat(41), 'not_a_type', 'card%00', 'car%C3%A9'].map((id) => ({
    route: byName('GET /config-element/:paymentComponent'),
    name: `component ${id.slice(0, 20)}`,
    request: () => ({ ...request(byName('GET /config-element/:paymentComponent')), path: `/config-element/${id}` }),
    expect: refused(),
  })),
  ...jsonBodyCases(byName('POST /payments'), [
    ['paymentComponent a number', { paymentComponent: 42 }],
    ['paymentComponent null', { paymentComponent: null }],
    ['paymentComponent empty', { paymentComponent: '' }],
    ['paymentComponent an array', { paymentComponent: ['card'] }],
    ['paymentComponent an object', { paymentComponent: {} }],
    ['paymentComponent a boolean', { paymentComponent: true }],
    ['paymentComponent upper case', { paymentComponent: 'Card' }],
    ['paymentComponent too long', { paymentComponent: 'a'.repeat(41) }],
    ['paymentComponent with a traversal', { paymentComponent: '../card' }],
    ['paymentComponent with unicode', { paymentComponent: 'c\u00e4rd' }],
    ['paymentComponent with a NUL', { paymentComponent: 'card\u0000' }],
    ['paymentComponent unknown', { paymentComponent: 'not_a_type' }, refused()],
    ['an extra amount', { amount: 1 }],
    ['an extra negative amount', { amount: -1 }],
    ['an extra huge amount', { amount: 1e308 }],
    ['an extra cartId', { cartId: 'someone-elses-cart' }],
    ['an extra field next to a good one', { paymentComponent: 'payment', currency: 'usd' }],
  ]),
  ...idCases(byName('POST /confirmPayments/:paymentReference')),
  {
    route: byName('POST /confirmPayments/:paymentReference'),
    name: 'parameter: unknown payment',
    request: () => ({
      ...request(byName('POST /confirmPayments/:paymentReference')),
      path: '/confirmPayments/00000000-0000-0000-0000-000000000000',
    }),
    expect: refused(404),
  },
  ...jsonBodyCases(byName('POST /confirmPayments/:paymentReference'), [
    ['paymentIntent a number', { paymentIntent: 42 }],
    ['paymentIntent null', { paymentIntent: null }],
    ['paymentIntent empty', { paymentIntent: '' }],
    ['paymentIntent an object', { paymentIntent: { id: 'pi_1' } }],
    ['paymentIntent not a PaymentIntent id', { paymentIntent: 'ch_123' }],
    ['paymentIntent too long', { paymentIntent: `pi_${'a'.repeat(300)}` }],
    ['paymentIntent with a traversal', { paymentIntent: 'pi_../../x' }],
    ['paymentIntent with a NUL', { paymentIntent: 'pi_1\u0000' }],
    // The documented answer: `{outcome: 'rejected', errorCode: 'payment_mismatch'}`, nothing recorded.
    ['paymentIntent of another payment', { paymentIntent: 'pi_doesnotexist123' }, tolerated],
    ['an extra field', { paymentIntent: undefined, amount: 1 }],
    ['an extra outcome', { outcome: 'approved' }],
  ]),
  ...idCases(byName('POST /operations/payment-intents/:paymentId')),
  {
    route: byName('POST /operations/payment-intents/:paymentId'),
    name: 'parameter: unknown payment',
    request: () => ({
      ...request(byName('POST /operations/payment-intents/:paymentId')),
      path: '/operations/payment-intents/00000000-0000-0000-0000-000000000000',
    }),
    expect: refused(404),
  },
  ...jsonBodyCases(byName('POST /operations/payment-intents/:paymentId'), [
    ['no actions', {}],
    ['actions empty', { actions: [] }],
    ['actions an object', { actions: { action: 'cancelPayment' } }],
    ['actions a string', { actions: 'cancelPayment' }],
    ['an empty action', { actions: [{}] }],
    ['two actions', { actions: [{ action: 'cancelPayment' }, { action: 'cancelPayment' }] }],
    ['an unknown action', { actions: [{ action: 'deletePayment' }] }],
    ['action a number', { actions: [{ action: 42 }] }],
    ['capture without amount', { actions: [{ action: 'capturePayment' }] }],
    ['refund without amount', { actions: [{ action: 'refundPayment' }] }],
    ['amount without currency', capture({ centAmount: 100 })],
    ['amount without centAmount', capture({ currencyCode: 'EUR' })],
    ['amount a number', capture(100)],
    ['centAmount negative', capture(money(-1))],
    ['centAmount fractional', capture(money(1.5))],
    ['centAmount over MAX_SAFE_INTEGER', capture(money(2 ** 60))],
    [
      'centAmount 1e400 (Infinity)',
      '{"actions":[{"action":"capturePayment","amount":{"centAmount":1e400,"currencyCode":"EUR"}}]}',
    ],
    ['centAmount a numeric string', capture(money('100'))],
    ['centAmount "NaN"', capture(money('NaN'))],
    ['centAmount "Infinity"', capture(money('Infinity'))],
    ['centAmount null', capture(money(null))],
    ['centAmount an array', capture(money([1]))],
    ['currencyCode lower case', capture(money(1, 'eur'))],
    ['currencyCode too long', capture(money(1, 'EURO'))],
    ['currencyCode a number', capture(money(1, 978))],
    ['currencyCode unknown', capture(money(1, 'XXX')), tolerated],
    ['currencyCode of another currency', capture(money(1, 'USD')), tolerated],
    ['capture more than authorized', capture(money(Number.MAX_SAFE_INTEGER)), tolerated],
    ['refund of an unpaid payment', { actions: [{ action: 'refundPayment', amount: money(1) }] }, tolerated],
    [
      'refund with a foreign transactionId',
      { actions: [{ action: 'refundPayment', amount: money(1), transactionId: 'nope' }] },
      tolerated,
    ],
    ['a zero capture', capture(money(0)), tolerated],
    ['an extra field in the action', capture(money(1), { force: true })],
    ['an extra field in the amount', capture({ ...money(1), fractionDigits: 2 })],
    ['an extra top-level field', { ...capture(money(1)), dryRun: false }],
    ['merchantReference too long', capture(money(1), { merchantReference: 'r'.repeat(300) })],
    ['merchantReference a number', capture(money(1), { merchantReference: 42 })],
    [
      'transactionId too long',
      { actions: [{ action: 'refundPayment', amount: money(1), transactionId: 't'.repeat(65) }] },
    ],
    ['cancel with an amount', { actions: [{ action: 'cancelPayment', amount: money(1) }] }],
  ]),
  ...webhookCases(byName('POST /stripe/webhooks')),
];

function webhookCases(route: Route): Case[] {
  const cases: Case[] = [];
  const signed = (
    name: string,
    payload: string,
    expect: Expectation = refused(400),
    contentType = 'application/json',
  ) => cases.push({ route, name, request: () => request(route, json(payload, contentType)), expect });
  const unsigned = (name: string, signature: string | undefined, expect: Expectation = refused(400)) =>
    cases.push({
      route,
      name,
      request: () => {
        const body = anEvent('payment_intent.succeeded', { id: ctx.paymentIntentB, object: 'payment_intent' });
        return {
          method: 'POST',
          path: '/stripe/webhooks',
          body,
          headers: [
            ['content-type', 'application/json'],
            ...(signature !== undefined ? ([['stripe-signature', signature]] as [string, string][]) : []),
          ],
        };
      },
      expect,
    });
  for (const [name, body] of MALFORMED_JSON) signed(`signed malformed JSON: ${name}`, body);
  for (const [name, body] of WRONG_TOP_LEVEL) signed(`signed JSON ${name}`, body);
  const event = (patch: Record<string, unknown>) =>
    JSON.stringify({
      ...JSON.parse(anEvent('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent' })),
      ...patch,
    });
  signed('an empty event', '{}');
  signed('an event without type', event({ type: undefined }));
  signed('an event without data', event({ data: undefined }));
  signed('an event without livemode', event({ livemode: undefined }));
  signed('type a number', event({ type: 42 }));
  signed('type an array', event({ type: ['payment_intent.succeeded'] }));
  signed('data null', event({ data: null }));
  signed('data a string', event({ data: 'x' }));
  signed('data.object null', event({ data: { object: null } }));
  signed('data.object a string', event({ data: { object: 'pi_x' } }));
  signed('data.object an array', event({ data: { object: [] } }));
  signed('livemode a string', event({ livemode: 'false' }));
  signed(
    'a PaymentIntent id of the wrong type',
    event({ data: { object: { object: 'payment_intent', id: 42 } } }),
    tolerated,
  );
  signed(
    'a PaymentIntent that does not exist',
    event({ data: { object: { object: 'payment_intent', id: 'pi_doesnotexist' } } }),
    tolerated,
  );
  signed(
    'a PaymentIntent id with a traversal',
    event({ data: { object: { object: 'payment_intent', id: '../../v1/customers' } } }),
    tolerated,
  );
  signed(
    'a charge that does not exist',
    JSON.stringify({
      ...JSON.parse(event({})),
      type: 'refund.created',
      data: { object: { object: 'refund', id: 're_1', charge: 'ch_doesnotexist' } },
    }),
    tolerated,
  );
  signed('a livemode event', event({ livemode: true }), tolerated);
  signed('an extra field', event({ extra: { deep: [1, 2, 3] } }), tolerated);
  signed('an event just over 512 KiB', event({ pad: 'x'.repeat(512 * KIB) }), refused(413));
  signed('an event of 2 MiB', event({ pad: 'x'.repeat(2048 * KIB) }), refused(413));
  // The webhook scope takes raw bytes of any content type: the signature decides, so a good
  // signed event sent as text/plain is still a good event.
  for (const [name, type] of BAD_CONTENT_TYPES)
    signed(`content type ${name}`, anEvent('customer.created'), tolerated, type);
  unsigned('no signature', undefined);
  unsigned('an empty signature', '');
  unsigned('a garbage signature', 'garbage');
  unsigned('a signature with no v1', `t=${Math.floor(Date.now() / 1000)}`);
  unsigned('a wrong v1', `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`);
  unsigned('a non-numeric timestamp', `t=abc,v1=${'0'.repeat(64)}`);
  unsigned('a far-future timestamp', `t=99999999999,v1=${'0'.repeat(64)}`);
  unsigned('a huge signature', `t=1,v1=${'a'.repeat(8 * KIB)}`);
  unsigned('a v0 scheme only', `t=${Math.floor(Date.now() / 1000)},v0=${'0'.repeat(64)}`);
  cases.push({
    route,
    name: 'a signature of another body',
    request: () => {
      const body = anEvent('payment_intent.succeeded', { id: ctx.paymentIntentB, object: 'payment_intent' });
      return {
        method: 'POST',
        path: '/stripe/webhooks',
        body,
        headers: [
          ['content-type', 'application/json'],
          ['stripe-signature', sign(`${body} `)],
        ],
      };
    },
    expect: refused(400),
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// Checks

const counts: Record<string, number> = Object.fromEntries(routes.map((r) => [r.name, 0]));

function expectCtError(res: RawResponse): void {
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(res.body).toEqual({
    statusCode: res.status,
    message: expect.any(String),
    errors: [expect.objectContaining({ code: expect.any(String), message: expect.any(String) })],
  });
}

describe.each(routes.map((r) => [r.name, r] as const))('%s', (_name, route) => {
  const table = cases.filter((c) => c.route === route).map((c) => [c.name, c] as const);

  it.each(table)('%s', async (_caseName, c) => {
    counts[route.name] = (counts[route.name] ?? 0) + 1;
    ctx.paymentsSession = c.expect.kind === 'tolerated' ? ctx.sessionT : ctx.sessionA;
    const res = await rawRequest(processor.url, c.request());
    const where = `${route.name} / ${c.name}: ${res.status} ${res.text.slice(0, 200)}`;
    expect({ where, serverError: res.status >= 500 }).toEqual({ where, serverError: false });
    if (c.expect.kind === '4xx') {
      expect({ where, status: res.status >= 400 && res.status < 500 }).toEqual({ where, status: true });
      if (c.expect.status) expect({ where, status: res.status }).toEqual({ where, status: c.expect.status });
    }
    if (c.expect.kind === '4xx' && c.expect.protocol) expect(res.body).toMatchObject({ statusCode: res.status });
    else if (res.status >= 400) expectCtError(res);
  });

  it('still answers a good request afterwards', async () => {
    const res = await rawRequest(processor.url, await goodRequest(route));
    if (route.ok) expect(res.status).toBe(route.ok);
    // The status route reports its upstreams (503 when one is down): never a crash.
    else expect([200, 503]).toContain(res.status);
  });
});

/** The good request; for the routes that change state, on a cart of its own. */
async function goodRequest(route: Route): Promise<RawRequest> {
  if (route.name !== 'POST /payments' && route.name !== 'POST /confirmPayments/:paymentReference')
    return request(route);
  const { sessionId } = await checkout(world);
  const headers: [string, string][] = [
    ['x-session-id', sessionId],
    ['content-type', 'application/json'],
  ];
  if (route.name === 'POST /payments') return { method: 'POST', path: '/payments', body: '{}', headers };
  const created = await call(`${processor.url}/payments`, { session: sessionId, json: {} });
  return { method: 'POST', path: `/confirmPayments/${created.body.paymentReference}`, body: '{}', headers };
}

async function stateOfB() {
  const [payment, paymentIntent] = await Promise.all([
    processor.deps.payments.ct.getPayment(ctx.paymentB),
    stripeFor(world).paymentIntents.retrieve(ctx.paymentIntentB),
  ]);
  return {
    transactions: payment.transactions.map((t) => [t.type, t.state, t.amount.centAmount]),
    amountPlanned: payment.amountPlanned.centAmount,
    interfaceId: payment.interfaceId,
    paymentIntent: {
      status: paymentIntent.status,
      amount: paymentIntent.amount,
      amount_received: paymentIntent.amount_received,
      metadata: paymentIntent.metadata,
    },
  };
}
let snapshotB: Awaited<ReturnType<typeof stateOfB>>;

describe('no state change', () => {
  it('the clean cart has no payment and no PaymentIntent', async () => {
    const cart = await processor.deps.payments.ct.getCartWithPayments(ctx.cartA);
    expect(cart.paymentInfo?.payments ?? []).toEqual([]);
    const found = await stripeFor(world).paymentIntents.search({ query: `metadata['ct_cart_id']:'${ctx.cartA}'` });
    expect(found.data).toEqual([]);
  });

  it('the open payment and its PaymentIntent are as they were', async () => {
    expect(await stateOfB()).toEqual(snapshotB);
  });

  it('nothing the processor logged is a 5xx or an uncaught error', () => {
    const failures = processor.logs.filter((line) => /"level":(50|60)/.test(line));
    expect(failures).toEqual([]);
  });
});
