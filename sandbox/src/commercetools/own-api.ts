import type { FastifyReply, FastifyRequest } from 'fastify';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { ctError } from './errors';
import { bearerToken, type TokenRegistry } from './tokens';

/**
 * What the sandbox's own endpoints (resources the mock lacks) share: authorization as commercetools
 * checks it, query parameters as the mock reads them, and typed access to the storage for types the
 * mock's type map does not name.
 */

export type ProjectRequest<Extra extends object = object> = FastifyRequest<{
  Params: { projectKey: string } & Extra;
  Querystring: Record<string, unknown>;
  Body: unknown;
}>;

/** A preHandler: a live token whose scopes include one of `scopes` for the project (else 401 / 403 / 404). */
export function requireScopes(tokens: TokenRegistry, projectKey: string, read: string[], write: string[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = bearerToken(request);
    const info = token ? tokens.lookup(token) : undefined;
    if (!info || !info.active) {
      return reply.code(401).send({ ...ctError(401, 'invalid_token', 'invalid_token'), error: 'invalid_token' });
    }
    const project = (request.params as { projectKey?: string }).projectKey;
    const wanted = request.method === 'GET' || request.method === 'HEAD' ? [...read, ...write] : write;
    const granted = new Set(info.scope.split(' '));
    if (!wanted.some((scope) => granted.has(`${scope}:${project}`))) {
      return reply
        .code(403)
        .send(
          ctError(
            403,
            'insufficient_scope',
            `Insufficient scope. One of the following scopes is missing: ${wanted.map((s) => `${s}:${project}`).join(', ')}`,
          ),
        );
    }
    if (project !== projectKey) {
      return reply.code(404).send(ctError(404, 'ResourceNotFound', `The project '${project}' does not exist.`));
    }
  };
}

/** `?where=…&limit=…&offset=…&sort=…&expand=…&var.x=…` as the mock's query endpoints read them. */
export function queryParams(query: Record<string, unknown>) {
  const list = (value: unknown) =>
    value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map((v) => String(v));
  const int = (value: unknown) => (value === undefined ? undefined : Number(value));
  const params: Record<string, unknown> = {
    where: list(query.where),
    limit: int(query.limit),
    offset: int(query.offset),
    sort: list(query.sort),
    expand: list(query.expand),
  };
  for (const [key, value] of Object.entries(query)) if (key.startsWith('var.')) params[key] = value;
  return params;
}

/** Checks `limit` (1–500) and `offset` (0–10,000) as commercetools does; a message when out of range. */
export function pagingError(params: { limit?: unknown; offset?: unknown }): string | undefined {
  const { limit, offset } = params as { limit?: number; offset?: number };
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 500))
    return 'The limit must be an integer from 1 to 500.';
  if (offset !== undefined && (!Number.isInteger(offset) || offset < 0 || offset > 10000))
    return 'The offset must be an integer from 0 to 10000.';
  return undefined;
}

export interface Stored {
  id: string;
  version: number;
  key?: string;
  createdAt: string;
  lastModifiedAt: string;
  [field: string]: unknown;
}

/** The storage, for a type the mock's own type map does not name. */
export function typedStorage(storage: InMemoryStorage, projectKey: string, typeId: string) {
  const s = storage as unknown as {
    get(p: string, t: string, id: string, params?: object): Promise<Stored | null>;
    getByKey(p: string, t: string, key: string, params?: object): Promise<Stored | null>;
    add(p: string, t: string, obj: Stored, params?: object): Promise<Stored>;
    delete(p: string, t: string, id: string, params?: object): Promise<Stored | null>;
    query(p: string, t: string, params: object): Promise<{ results: Stored[]; count: number; total: number }>;
  };
  return {
    get: (id: string, params?: object) => s.get(projectKey, typeId, id, params),
    getByKey: (key: string, params?: object) => s.getByKey(projectKey, typeId, key, params),
    add: (obj: Stored, params?: object) => s.add(projectKey, typeId, obj, params),
    delete: (id: string, params?: object) => s.delete(projectKey, typeId, id, params),
    query: (params: object) => s.query(projectKey, typeId, params),
  };
}

/** A resource identifier (`{typeId, id}` or `{typeId, key}`) resolved to a reference, or an error body. */
export async function resolveReference(
  storage: InMemoryStorage,
  projectKey: string,
  field: string,
  typeId: string,
  identifier: unknown,
): Promise<{ typeId: string; id: string } | { error: ReturnType<typeof ctError> }> {
  const ri = identifier as { typeId?: unknown; id?: unknown; key?: unknown } | null;
  if (!ri || typeof ri !== 'object' || (ri.typeId !== undefined && ri.typeId !== typeId)) {
    return {
      error: ctError(400, 'InvalidJsonInput', `Request body does not contain valid JSON.`, {
        detailedErrorMessage: `${field}: expected a ResourceIdentifier of type '${typeId}'`,
      }),
    };
  }
  const byId = typeof ri.id === 'string' ? ri.id : undefined;
  const byKey = typeof ri.key === 'string' ? ri.key : undefined;
  if ((byId === undefined) === (byKey === undefined)) {
    return {
      error: ctError(400, 'InvalidJsonInput', 'Request body does not contain valid JSON.', {
        detailedErrorMessage: `${field}: ResourceIdentifier requires an 'id' xor a 'key'`,
      }),
    };
  }
  const store = typedStorage(storage, projectKey, typeId);
  const found = byId !== undefined ? await store.get(byId) : await store.getByKey(byKey!);
  if (!found) {
    const which = byId !== undefined ? `identifier '${byId}'` : `key '${byKey}'`;
    return {
      error: ctError(
        400,
        'ReferencedResourceNotFound',
        `The referenced object of type '${typeId}' with '${which}' was not found. It either doesn't exist, or it can't be accessed from this endpoint (e.g., if the endpoint filters by store or customer account).`,
        { typeId, ...(byId !== undefined ? { id: byId } : { key: byKey }) },
      ),
    };
  }
  return { typeId, id: found.id };
}

export function concurrentModification(id: string, expected: unknown, current: number) {
  return ctError(
    409,
    'ConcurrentModification',
    `Object ${id} has a different version than expected. Expected: ${String(expected)} - Actual: ${current}.`,
    { currentVersion: current },
  );
}

export function clientInfo(request: FastifyRequest, tokens: TokenRegistry) {
  const token = bearerToken(request);
  const info = token ? tokens.lookup(token) : undefined;
  return { clientId: info?.clientId ?? '', isPlatformClient: false };
}

/** Runs writes of one resource one after the other, so that a version check and its write are atomic. */
export function serializer() {
  const tails = new Map<string, Promise<unknown>>();
  return async <T>(id: string, work: () => Promise<T>): Promise<T> => {
    const before = tails.get(id) ?? Promise.resolve();
    const run = before.then(work, work);
    const tail = run.catch(() => undefined);
    tails.set(id, tail);
    try {
      return await run;
    } finally {
      if (tails.get(id) === tail) tails.delete(id);
    }
  };
}
