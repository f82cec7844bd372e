import type { FastifyInstance } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { randomUUID } from 'node:crypto';
import { ctError } from './errors';
import {
  clientInfo,
  pagingError,
  queryParams,
  requireScopes,
  resolveReference,
  typedStorage,
  type ProjectRequest,
  type Stored,
} from './own-api';
import type { TokenRegistry } from './tokens';

const TYPE_ID = 'recurring-payment-job';
/** The state a job is created in; Checkout moves it on when it processes the job. */
const INITIAL = 'Initial';
const KEY_PATTERN = /^[A-Za-z0-9_-]{2,256}$/;

export interface RecurringPaymentJobRoutesOptions {
  projectKey: string;
  storage: InMemoryStorage;
  tokens: TokenRegistry;
}

const invalidJson = (detail: string) =>
  ctError(400, 'InvalidJsonInput', 'Request body does not contain valid JSON.', { detailedErrorMessage: detail });

/**
 * The Checkout Recurring Payment Jobs API (`{checkoutUrl}/{projectKey}/recurring-payment-jobs`),
 * served on the commercetools address (the sandbox is the processor's `CTP_CHECKOUT_URL` too):
 * create (what the payments SDK's `DefaultRecurringPaymentJobService` sends), get by id or key, and
 * a query (`where`, `limit`, `offset`, `sort`) for tests to list the jobs made. Nothing processes a
 * job: it stays `Initial`, as until Checkout creates the Recurring Order.
 */
export function registerRecurringPaymentJobRoutes(app: FastifyInstance, options: RecurringPaymentJobRoutesOptions) {
  const { projectKey, storage, tokens } = options;
  const store = typedStorage(storage, projectKey, TYPE_ID);
  const preHandler = requireScopes(
    tokens,
    projectKey,
    ['view_recurring_payment_jobs'],
    ['manage_recurring_payment_jobs', 'manage_project'],
  );
  const base = '/:projectKey/recurring-payment-jobs';

  app.post(base, { preHandler }, async (request: ProjectRequest, reply) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return reply.code(400).send(invalidJson('expected a RecurringPaymentJobDraft object'));
    const missing = ['originPayment', 'paymentMethod'].filter((field) => body[field] === undefined);
    if (missing.length > 0)
      return reply
        .code(400)
        .send(ctError(400, 'RequiredField', `A value is required for field ${missing[0]}.`, { field: missing[0] }));
    if (body.key !== undefined && (typeof body.key !== 'string' || !KEY_PATTERN.test(body.key)))
      return reply.code(400).send(invalidJson('key: must match [a-zA-Z0-9_-]{2,256}'));
    const status = (body.status ?? { state: INITIAL }) as { state?: unknown };
    if (typeof status !== 'object' || status === null || status.state !== INITIAL)
      return reply.code(400).send(invalidJson(`status.state: a new job's state must be '${INITIAL}'`));
    const origin = await resolveReference(storage, projectKey, 'originPayment', 'payment', body.originPayment);
    if ('error' in origin) return reply.code(origin.error.statusCode).send(origin.error);
    const method = await resolveReference(storage, projectKey, 'paymentMethod', 'payment-method', body.paymentMethod);
    if ('error' in method) return reply.code(method.error.statusCode).send(method.error);
    if (typeof body.key === 'string' && (await store.getByKey(body.key))) {
      return reply.code(400).send(
        ctError(400, 'DuplicateField', `A duplicate value '"${body.key}"' exists for field 'key'.`, {
          field: 'key',
          duplicateValue: body.key,
        }),
      );
    }
    const now = new Date().toISOString();
    const by = clientInfo(request, tokens);
    const job: Stored = {
      id: randomUUID(),
      version: 1,
      ...(typeof body.key === 'string' ? { key: body.key } : {}),
      originPayment: origin,
      paymentMethod: method,
      status: { state: INITIAL },
      createdAt: now,
      lastModifiedAt: now,
      createdBy: by,
      lastModifiedBy: by,
    };
    return reply.code(201).send(await store.add(job));
  });

  app.get(base, { preHandler }, async (request: ProjectRequest, reply) => {
    const params = queryParams(request.query);
    const paging = pagingError(params);
    if (paging) return reply.code(400).send(ctError(400, 'InvalidInput', paging));
    return store.query(params);
  });

  app.get(`${base}/:target`, { preHandler }, async (request: ProjectRequest<{ target: string }>, reply) => {
    const target = request.params.target;
    const expand = queryParams(request.query).expand;
    const found = target.startsWith('key=')
      ? await store.getByKey(decodeURIComponent(target.slice(4)), { expand })
      : await store.get(target, { expand });
    if (!found)
      return reply.code(404).send(ctError(404, 'ResourceNotFound', `The Resource with ID '${target}' was not found.`));
    return found;
  });
}
