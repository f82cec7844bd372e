import { Type } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config/load-config';
import { buildDeps } from '../../src/deps';
import { lazySchemaCompilers } from '../../src/http/lazy-schemas';
import { createLogger } from '../../src/logger';
import { validEnv } from '../../testing/env';

/**
 * Routes' validators and serializers are compiled on first use (lazy-schemas.ts): what a request
 * gets must be what fastify's own compilers, compiled at start-up, give.
 */
const Headers = Type.Object({ 'X-Session-Id': Type.String({ minLength: 3 }) });
const Body = Type.Object(
  {
    amount: Type.Integer({ minimum: 1 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
const Params = Type.Object({ id: Type.String({ pattern: '^[a-z]+$' }) });
const Query = Type.Object({ page: Type.Optional(Type.String({ pattern: '^[0-9]+$' })) });
const Answer = Type.Object({ id: Type.String(), amount: Type.Integer(), tags: Type.Array(Type.String()) });
const Failure = Type.Object({ message: Type.String() });

async function appWith(lazy: boolean): Promise<{ app: FastifyInstance; compileAll(): void }> {
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    ...(lazy ? { schemaController: { compilersFactory: schemas.compilersFactory } } : {}),
  });
  app.post(
    '/things/:id',
    {
      schema: {
        headers: Headers,
        body: Body,
        params: Params,
        querystring: Query,
        response: { 200: Answer, 400: Failure },
      },
    },
    async (request) => ({
      id: (request.params as { id: string }).id,
      amount: 5,
      tags: ['a'],
      secret: 'not serialized',
    }),
  );
  app.get('/failing', { schema: { response: { 400: Failure } } }, async (_request, reply) =>
    reply.code(400).send({ message: 'no', extra: 'not serialized' }),
  );
  await app.ready();
  return { app, compileAll: schemas.compileAll };
}

const requests = [
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc?page=2', payload: { amount: 5, currency: 'EUR' } },
  { headers: { 'X-SESSION-ID': 'abcd' }, url: '/things/abc', payload: { amount: 5, currency: 'EUR', note: 'n' } },
  { headers: {}, url: '/things/abc', payload: { amount: 5, currency: 'EUR' } },
  { headers: { 'x-session-id': 'ab' }, url: '/things/abc', payload: { amount: 5, currency: 'EUR' } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/ABC', payload: { amount: 5, currency: 'EUR' } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc?page=x', payload: { amount: 5, currency: 'EUR' } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc', payload: { amount: '5', currency: 'EUR' } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc', payload: { amount: 0, currency: 'EUR' } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc', payload: { amount: 5, currency: 'eur' } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc', payload: { amount: 5, currency: 'EUR', more: 1 } },
  { headers: { 'x-session-id': 'abcd' }, url: '/things/abc', payload: [] },
];

it("answers every request as fastify's compilers do, compiling on first use", async () => {
  const eager = await appWith(false);
  const lazy = await appWith(true);
  try {
    for (const request of [...requests, ...requests]) {
      const expected = await eager.app.inject({ method: 'POST', ...request });
      const actual = await lazy.app.inject({ method: 'POST', ...request });
      expect([request, actual.statusCode, actual.body]).toEqual([request, expected.statusCode, expected.body]);
    }
    const expected = await eager.app.inject('/failing');
    const actual = await lazy.app.inject('/failing');
    expect(actual.body).toBe(expected.body);
    expect(actual.json()).toEqual({ message: 'no' });
  } finally {
    await Promise.all([eager.app.close(), lazy.app.close()]);
  }
});

it('a schema that does not compile fails its first request (500) and compileAll, not the start', async () => {
  const schemas = lazySchemaCompilers();
  const app = Fastify({ schemaController: { compilersFactory: schemas.compilersFactory } });
  app.post(
    '/broken',
    { schema: { body: { type: 'object', properties: { a: { type: 'no-such-type' } } } } },
    async () => 'ok',
  );
  await app.ready();
  try {
    expect((await app.inject({ method: 'POST', url: '/broken', payload: { a: 1 } })).statusCode).toBe(500);
    expect(() => schemas.compileAll()).toThrow(/no-such-type|type must be JSON type/);
  } finally {
    await app.close();
  }
});

it('checks schemas against the JSON Schema meta-schema only when asked (compileSchemas)', async () => {
  for (const validateSchema of [true, false]) {
    const schemas = lazySchemaCompilers();
    const app = Fastify({
      ajv: { customOptions: { validateSchema } },
      schemaController: { compilersFactory: schemas.compilersFactory },
    });
    app.post('/malformed', { schema: { body: { type: 'string', minLength: -1 } } }, async () => 'ok');
    await app.ready();
    try {
      if (validateSchema) expect(() => schemas.compileAll()).toThrow(/schema is invalid/);
      else expect(() => schemas.compileAll()).not.toThrow();
    } finally {
      await app.close();
    }
  }
});

it("compiles every schema of the processor's routes, each a valid JSON Schema", async () => {
  const app = await buildApp(buildDeps(loadConfig(validEnv()), createLogger('silent')), { compileSchemas: true });
  await app.close();
});
