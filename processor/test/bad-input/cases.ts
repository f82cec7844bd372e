import {
  json,
  refused,
  rejectedByParser,
  rejectedByRouter,
  request,
  tolerated,
  type Case,
  type Expectation,
  type Route,
} from './suite';
import type { RawRequest } from './raw-http';

/** The cases every route gets (method, path, headers, framing), and those of JSON bodies and ids. */

export const KIB = 1024;
export const MALFORMED_JSON = [
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
export const WRONG_TOP_LEVEL = [
  ['an array', '[]'],
  ['an array of objects', '[{}]'],
  ['a string', '"payment"'],
  ['a number', '42'],
  ['null', 'null'],
  ['a boolean', 'true'],
] as const;
export const BAD_CONTENT_TYPES = [
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

export function commonCases(route: Route): Case[] {
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
export function jsonBodyCases(route: Route, fields: [string, unknown, Expectation?][]): Case[] {
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
export function idCases(route: Route): Case[] {
  return BAD_IDS.map(([name, id]) => ({
    route,
    name: `parameter: ${name}`,
    request: () => ({ ...request(route), path: route.path(id) }),
    expect: ROUTER_REJECTS[name] ?? refused(),
  }));
}
