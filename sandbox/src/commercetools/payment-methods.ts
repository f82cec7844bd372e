import type { FastifyInstance } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { randomUUID } from 'node:crypto';
import { ctError } from './errors';
import {
  clientInfo,
  concurrentModification,
  pagingError,
  queryParams,
  requireScopes,
  resolveReference,
  serializer,
  typedStorage,
  type ProjectRequest,
  type Stored,
} from './own-api';
import type { TokenRegistry } from './tokens';

const TYPE_ID = 'payment-method';
const STATUSES = ['Active', 'Inactive'];
const KEY_PATTERN = /^[A-Za-z0-9_-]{2,256}$/;

type Body = Record<string, unknown>;
type Failure = { error: ReturnType<typeof ctError> };

const invalidJson = (detail: string): Failure => ({
  error: ctError(400, 'InvalidJsonInput', 'Request body does not contain valid JSON.', {
    detailedErrorMessage: detail,
  }),
});
const invalidOperation = (message: string): Failure => ({ error: ctError(400, 'InvalidOperation', message) });

const isLocalizedString = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((v) => typeof v === 'string');

/** `custom` from a CustomFieldsDraft: the Type resolved to a reference, the fields as given. */
async function customFields(
  storage: InMemoryStorage,
  projectKey: string,
  field: string,
  draft: unknown,
): Promise<{ custom: { type: { typeId: 'type'; id: string }; fields: Body } } | Failure> {
  const d = draft as { type?: unknown; fields?: unknown } | null;
  if (!d || typeof d !== 'object') return invalidJson(`${field}: expected a CustomFieldsDraft`);
  const type = await resolveReference(storage, projectKey, `${field}.type`, 'type', d.type);
  if ('error' in type) return type;
  if (d.fields !== undefined && (typeof d.fields !== 'object' || d.fields === null || Array.isArray(d.fields)))
    return invalidJson(`${field}.fields: expected an object`);
  return { custom: { type: { typeId: 'type', id: type.id }, fields: { ...((d.fields as Body) ?? {}) } } };
}

/** A PaymentMethod from its draft, as commercetools creates it (or the error it answers). */
async function fromDraft(storage: InMemoryStorage, projectKey: string, body: Body): Promise<{ pm: Body } | Failure> {
  const pm: Body = {};
  if (body.key !== undefined) {
    if (typeof body.key !== 'string' || !KEY_PATTERN.test(body.key))
      return invalidJson('key: must match [a-zA-Z0-9_-]{2,256}');
    pm.key = body.key;
  }
  if (body.name !== undefined) {
    if (!isLocalizedString(body.name)) return invalidJson('name: expected a LocalizedString');
    pm.name = body.name;
  }
  if (body.customer !== undefined) {
    const customer = await resolveReference(storage, projectKey, 'customer', 'customer', body.customer);
    if ('error' in customer) return customer;
    pm.customer = customer;
  }
  if (body.businessUnit !== undefined) {
    const unit = await resolveReference(storage, projectKey, 'businessUnit', 'business-unit', body.businessUnit);
    if ('error' in unit) return unit;
    const stored = await typedStorage(storage, projectKey, 'business-unit').get(unit.id);
    pm.businessUnit = { typeId: 'business-unit', key: stored?.key };
  }
  for (const field of ['method', 'paymentInterface', 'interfaceAccount'] as const) {
    if (body[field] === undefined) continue;
    if (typeof body[field] !== 'string') return invalidJson(`${field}: expected a string`);
    pm[field] = body[field];
  }
  if (body.token !== undefined) {
    const token = body.token as { value?: unknown } | null;
    if (!token || typeof token !== 'object' || typeof token.value !== 'string')
      return invalidJson('token: expected {value: string}');
    pm.token = { value: token.value };
  }
  const status = body.paymentMethodStatus ?? 'Active';
  if (typeof status !== 'string' || !STATUSES.includes(status))
    return invalidJson(`paymentMethodStatus: must be one of ${STATUSES.join(', ')}`);
  pm.paymentMethodStatus = status;
  const isDefault = body.default ?? false;
  if (typeof isDefault !== 'boolean') return invalidJson('default: expected a boolean');
  if (isDefault && status === 'Inactive') return invalidOperation('An inactive PaymentMethod cannot be the default.');
  pm.default = isDefault;
  if (body.custom !== undefined) {
    const custom = await customFields(storage, projectKey, 'custom', body.custom);
    if ('error' in custom) return custom;
    pm.custom = custom.custom;
  }
  return { pm };
}

/** Applies one update action to `pm` (a copy), or answers the error commercetools would. */
async function applyAction(
  storage: InMemoryStorage,
  projectKey: string,
  pm: Stored,
  action: Body,
): Promise<Failure | undefined> {
  const optionalString = (field: string) => {
    const value = action[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return invalidJson(`${String(action.action)}: ${field} must be a string`);
    if (value === undefined || value === null || value === '') delete pm[field];
    else pm[field] = value;
    return undefined;
  };
  switch (action.action) {
    case 'setName':
      if (action.name !== undefined && action.name !== null && !isLocalizedString(action.name))
        return invalidJson('setName: name must be a LocalizedString');
      if (action.name === undefined || action.name === null) delete pm.name;
      else pm.name = action.name;
      return undefined;
    case 'setKey':
      if (action.key !== undefined && action.key !== null && action.key !== '') {
        if (typeof action.key !== 'string' || !KEY_PATTERN.test(action.key))
          return invalidJson('setKey: key must match [a-zA-Z0-9_-]{2,256}');
      }
      return optionalString('key');
    case 'setMethod':
      return optionalString('method');
    case 'setPaymentInterface':
      return optionalString('paymentInterface');
    case 'setInterfaceAccount':
      return optionalString('interfaceAccount');
    case 'setPaymentMethodStatus': {
      const status = action.paymentMethodStatus;
      if (typeof status !== 'string' || !STATUSES.includes(status))
        return invalidJson(`setPaymentMethodStatus: paymentMethodStatus must be one of ${STATUSES.join(', ')}`);
      if (status === 'Inactive' && pm.default === true)
        return invalidOperation('A default PaymentMethod cannot be set to Inactive.');
      pm.paymentMethodStatus = status;
      return undefined;
    }
    case 'setDefault':
      if (typeof action.default !== 'boolean') return invalidJson('setDefault: default must be a boolean');
      if (action.default && pm.paymentMethodStatus === 'Inactive')
        return invalidOperation('An inactive PaymentMethod cannot be set as the default.');
      pm.default = action.default;
      return undefined;
    case 'setCustomType': {
      if (action.type === undefined || action.type === null) {
        delete pm.custom;
        return undefined;
      }
      const custom = await customFields(storage, projectKey, 'setCustomType', {
        type: action.type,
        fields: action.fields,
      });
      if ('error' in custom) return custom;
      pm.custom = custom.custom;
      return undefined;
    }
    case 'setCustomField': {
      const custom = pm.custom as { fields: Body } | undefined;
      if (typeof action.name !== 'string') return invalidJson('setCustomField: name must be a string');
      if (!custom) return invalidOperation('This resource has no custom type set.');
      if (action.value === undefined || action.value === null) {
        if (!(action.name in custom.fields))
          return invalidOperation(`Cannot remove custom field ${action.name} because it does not exist.`);
        delete custom.fields[action.name];
      } else custom.fields[action.name] = action.value;
      return undefined;
    }
    default:
      return {
        error: ctError(400, 'InvalidInput', `Invalid action ${String(action.action)}`),
      };
  }
}

export interface PaymentMethodRoutesOptions {
  projectKey: string;
  storage: InMemoryStorage;
  tokens: TokenRegistry;
}

/**
 * The PaymentMethods API (`/{projectKey}/payment-methods`), which the mock lacks: create, get by id
 * or key, query with `where` (the mock's predicate engine over the sandbox's storage, indexed by
 * customer, payment interface and token), update actions, delete. Needs `manage_payment_methods`
 * (or `view_payment_methods` to read) or `manage_project` on the project.
 */
export function registerPaymentMethodRoutes(app: FastifyInstance, options: PaymentMethodRoutesOptions): void {
  const { projectKey, storage, tokens } = options;
  const store = typedStorage(storage, projectKey, TYPE_ID);
  const serialized = serializer();
  const preHandler = requireScopes(
    tokens,
    projectKey,
    ['view_payment_methods', 'view_project'],
    ['manage_payment_methods', 'manage_project'],
  );
  const base = '/:projectKey/payment-methods';
  const expandOf = (request: ProjectRequest) => queryParams(request.query).expand as string[] | undefined;

  /** `id` or `key=…`, as the path names the resource. */
  const find = async (target: string, expand?: string[]) =>
    target.startsWith('key=')
      ? store.getByKey(decodeURIComponent(target.slice(4)), { expand })
      : store.get(target, { expand });
  const notFound = (target: string) =>
    ctError(
      404,
      'ResourceNotFound',
      target.startsWith('key=')
        ? `The Resource with key '${decodeURIComponent(target.slice(4))}' was not found.`
        : `The Resource with ID '${target}' was not found.`,
    );

  app.post(base, { preHandler }, async (request: ProjectRequest, reply) => {
    const body = request.body;
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return reply.code(400).send(invalidJson('expected a PaymentMethodDraft object').error);
    const draft = await fromDraft(storage, projectKey, body as Body);
    if ('error' in draft) return reply.code(draft.error.statusCode).send(draft.error);
    const now = new Date().toISOString();
    const by = clientInfo(request, tokens);
    const created = await store.add(
      {
        id: randomUUID(),
        version: 1,
        createdAt: now,
        lastModifiedAt: now,
        createdBy: by,
        lastModifiedBy: by,
        ...draft.pm,
      } as Stored,
      { expand: expandOf(request) },
    );
    return reply.code(201).send(created);
  });

  app.get(base, { preHandler }, async (request: ProjectRequest, reply) => {
    const params = queryParams(request.query);
    const paging = pagingError(params);
    if (paging) return reply.code(400).send(ctError(400, 'InvalidInput', paging));
    return store.query(params);
  });

  app.get(`${base}/:target`, { preHandler }, async (request: ProjectRequest<{ target: string }>, reply) => {
    const found = await find(request.params.target, expandOf(request));
    if (!found) return reply.code(404).send(notFound(request.params.target));
    return found;
  });

  app.post(`${base}/:target`, { preHandler }, async (request: ProjectRequest<{ target: string }>, reply) => {
    const body = (request.body ?? {}) as { version?: unknown; actions?: unknown };
    if (typeof body.version !== 'number' || !Array.isArray(body.actions))
      return reply.code(400).send(invalidJson('expected {version: number, actions: [...]}').error);
    const target = await find(request.params.target);
    if (!target) return reply.code(404).send(notFound(request.params.target));
    return serialized(target.id, async () => {
      const current = await store.get(target.id);
      if (!current) return reply.code(404).send(notFound(request.params.target));
      if (current.version !== body.version)
        return reply.code(409).send(concurrentModification(current.id, body.version, current.version));
      const updated = structuredClone(current);
      for (const action of body.actions as Body[]) {
        if (!action || typeof action !== 'object')
          return reply.code(400).send(invalidJson('actions: expected objects').error);
        const before = JSON.stringify(updated);
        const failed = await applyAction(storage, projectKey, updated, action);
        if (failed) return reply.code(failed.error.statusCode).send(failed.error);
        // As the mock counts versions: one per action that changed something.
        if (JSON.stringify(updated) !== before) updated.version += 1;
      }
      if (updated.version === current.version) return store.get(current.id, { expand: expandOf(request) });
      updated.lastModifiedAt = new Date().toISOString();
      updated.lastModifiedBy = clientInfo(request, tokens);
      return store.add(updated, { expand: expandOf(request) });
    });
  });

  app.delete(`${base}/:target`, { preHandler }, async (request: ProjectRequest<{ target: string }>, reply) => {
    const version = Number(request.query.version);
    if (request.query.version === undefined || !Number.isInteger(version))
      return reply.code(400).send(ctError(400, 'InvalidInput', "Missing required query parameter 'version'."));
    const target = await find(request.params.target);
    if (!target) return reply.code(404).send(notFound(request.params.target));
    return serialized(target.id, async () => {
      const current = await store.get(target.id);
      if (!current) return reply.code(404).send(notFound(request.params.target));
      if (current.version !== version)
        return reply.code(409).send(concurrentModification(current.id, version, current.version));
      await store.delete(current.id);
      return current;
    });
  });
}
