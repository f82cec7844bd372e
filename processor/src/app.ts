import cors from '@fastify/cors';
import { fastifyRequestContext } from '@fastify/request-context';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyRequest,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type onRequestAsyncHookHandler,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { AppDeps } from './deps';
import { errorBody } from './http/dtos/error';
import { errorHandler } from './http/error-handler';
import { openapiOptions } from './http/openapi';
import { applePayRoutes } from './http/routes/apple-pay';
import { checkoutRoutes } from './http/routes/checkout';
import { healthRoutes } from './http/routes/health';
import { operationsRoutes } from './http/routes/operations';
import { webhookRoutes } from './http/routes/webhooks';
import { lazySchemaCompilers } from './http/lazy-schemas';
import { cachedSessionAuth } from './http/session-cache';

export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * On every answer. A JSON error must never be sniffed into HTML; answers are per caller and
 * POST /payments holds a client secret, so nothing is stored unless a route says so (the Apple
 * Pay file keeps its own Cache-Control).
 */
const ANSWER_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' } as const;

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The caller's `x-request-id` ties its logs to ours, but only when it is well-formed: anything
 * else could forge fields, flood lines or collide across callers. Otherwise a fresh id.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED_REQUEST_ID.test(given) ? given : randomUUID();
}

/** One log line per request, when it completes (method, path, status, time), instead of two. */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      url: request.url.split('?')[0],
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

export interface BuildAppOptions {
  /**
   * Compile every route's validators and serializers before returning, each schema checked against
   * the JSON Schema meta-schema (otherwise they are compiled on first use, unchecked).
   */
  compileSchemas?: boolean;
}

/** The fastify app: plugins, the central error handler and every route. No business logic. */
export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const schemas = lazySchemaCompilers();
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    // Extra or malformed fields are a 400, never silently dropped or coerced. The route schemas
    // (TypeBox's) are checked against the JSON Schema meta-schema when all are compiled up front
    // (tests), not by every process: compiling the meta-schema cost its first request 35-65 ms.
    ajv: {
      customOptions: {
        removeAdditional: false,
        coerceTypes: false,
        allErrors: false,
        validateSchema: options.compileSchemas === true,
      },
    },
    // Each route's validators and serializers are compiled when first used, not at start-up.
    schemaController: { compilersFactory: schemas.compilersFactory },
    requestIdHeader: false,
    genReqId: requestIdOf,
    logController: new OneLinePerRequest(),
    // Requests the router refuses (bad percent-encoding, invalid UTF-8 in the path) and those
    // node's HTTP parser refuses get the commercetools error shape too.
    frameworkErrors: (error, _request, reply) => {
      const status = (error as { statusCode?: number }).statusCode ?? 400;
      // Refused before routing: no onSend hook runs for these.
      return (reply as FastifyReply)
        .code(status)
        .headers(ANSWER_HEADERS)
        .send(errorBody(status, 'InvalidInput', error.message));
    },
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
      const message = status === 431 ? 'Request headers are too large.' : 'Malformed HTTP request.';
      const body = JSON.stringify(errorBody(status, 'InvalidInput', message));
      if (socket.writable) {
        const head = [
          `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
          'Content-Type: application/json',
          ...Object.entries(ANSWER_HEADERS).map(([name, value]) => `${name}: ${value}`),
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Connection: close',
        ];
        socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
      } else {
        socket.destroy(error);
      }
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Before every plugin and route, so that 404s, errors and CORS preflights get them too.
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', ANSWER_HEADERS['x-content-type-options']);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', ANSWER_HEADERS['cache-control']);
    return payload;
  });
  await app.register(fastifyRequestContext, { defaultStoreValues: () => ({ sdk: {} }) });
  await app.register(cors, {
    // D12: only the configured storefront origins; no CORS at all when none are configured.
    origin: config.allowedOrigins.length > 0 ? [...config.allowedOrigins] : false,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['content-type', 'x-session-id'],
    maxAge: 600,
  });
  await app.register(swagger, openapiOptions(config));

  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorBody(404, 'ResourceNotFound', `Route ${request.method} ${request.url.split('?')[0]} not found.`)),
  );

  await app.register(checkoutRoutes, {
    payments: deps.payments,
    sessionAuth: cachedSessionAuth(deps.sdk.sessionHeaderAuthHookFn.authenticate() as onRequestAsyncHookHandler, {
      ttlMs: config.sessions.cacheMs,
    }),
  });
  await app.register(applePayRoutes, {
    ...(config.stripe.applePayDomainAssociation ? { domainAssociation: config.stripe.applePayDomainAssociation } : {}),
  });
  await app.register(operationsRoutes, {
    payments: deps.payments,
    sdk: deps.sdk,
    merchantCenterAuth: deps.merchantCenterAuth,
    stripe: deps.stripe,
    stats: deps.webhookStats,
  });
  await app.register(webhookRoutes, {
    payments: deps.payments,
    stats: deps.webhookStats,
    secrets: deps.webhookSecrets,
  });
  await app.register(healthRoutes);
  app.get('/openapi.json', { schema: { hide: true } as object }, async () => app.swagger());

  await app.ready();
  if (options.compileSchemas) schemas.compileAll();
  return app;
}
