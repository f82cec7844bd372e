import { AsyncLocalStorage } from 'node:async_hooks';
import type { InMemoryStorage } from '@labdigital/commercetools-mock' with { 'resolution-mode': 'import' };
import { FieldIndex } from './indexes/field-index';
import { lookupsOf, type Lookup } from './indexes/where';
import { fixTotals } from './money';

type Args<M extends keyof InMemoryStorage> = InMemoryStorage[M] extends (...args: infer A) => unknown ? A : never;
type ResourceType = Args<'count'>[1];
type QueryParams = Args<'query'>[2];
type GetParams = NonNullable<Args<'get'>[3]>;

/**
 * What is indexed besides `id` and `key` (every type): the fields the connector, the payments SDK
 * and the sandbox's own rules look resources up by.
 */
const INDEXED_PATHS: Partial<Record<string, readonly string[]>> = {
  payment: ['interfaceId', 'transactions.interactionId', 'custom.fields.*'],
  order: ['orderNumber', 'cart.id', 'paymentInfo.payments.id', 'customerId', 'custom.fields.*'],
  cart: ['paymentInfo.payments.id', 'customerId', 'anonymousId', 'custom.fields.*'],
  'payment-method': ['customer.id', 'paymentInterface', 'token.value', 'custom.fields.*'],
  'recurring-payment-job': ['originPayment.id', 'paymentMethod.id'],
};

/**
 * Resource types the mock has no storage for, kept by the sandbox's own endpoints
 * (`payment-methods.ts`, `recurring-payment-jobs.ts`) in the same storage: the mock's predicate
 * engine, paging, expansion, indexes and `clear()` then work for them as for any other type.
 */
export const SANDBOX_TYPES = ['payment-method', 'recurring-payment-job'] as const;

export interface IndexStats {
  enabled: boolean;
  /** Per resource type: queries and key reads answered from an index, and those that scanned. */
  byType: Record<string, { indexed: number; scanned: number }>;
}

export type SandboxStorage = InMemoryStorage & { indexStats(): IndexStats };

interface Plan {
  projectKey: string;
  typeId: string;
  index: FieldIndex;
  lookup: Lookup;
  used: boolean;
}

/** Typed as the mock's method answers for `RT` (its resource map type is not exported). */
const as = <T>(value: unknown) => value as T;
declare const _storage: InMemoryStorage;

/**
 * The mock's in-memory storage with the sandbox's fixes and secondary indexes.
 *
 * The mock answers a `where` query or a read by key by deep-copying every resource of the type and
 * testing each: at 10,000 checkouts an order query took most of a second. Here each type keeps
 * indexes (`FieldIndex`), maintained on every write and delete, and a query whose predicate names
 * an indexed value (`lookupsOf`) runs the mock's own query over the candidates only: the mock
 * still parses and evaluates the predicate, sorts, pages and expands, so answers and errors are
 * the scan's. Anything else is scanned as before.
 *
 * A subclass through the storage option the mock offers; it relies on how `InMemoryStorage` of
 * `@labdigital/commercetools-mock` 4.4.0 works: `query` reads the resources through `all`, a write
 * reaches the map after the same number of awaits whatever its type (so writes land in call order),
 * and `resources` (protected) is a map per project and type.
 */
export function createSandboxStorage(Base: typeof InMemoryStorage, options: { indexes: boolean }): SandboxStorage {
  const scope = new AsyncLocalStorage<Plan>();

  class Storage extends Base {
    private readonly fieldIndexes = new Map<string, FieldIndex>();
    private readonly stats: IndexStats['byType'] = {};

    indexStats(): IndexStats {
      return { enabled: options.indexes, byType: structuredClone(this.stats) };
    }

    private tally(typeId: string, kind: 'indexed' | 'scanned'): void {
      (this.stats[typeId] ??= { indexed: 0, scanned: 0 })[kind]++;
    }

    private indexOf(projectKey: string, typeId: string, create: boolean): FieldIndex | undefined {
      if (!options.indexes) return undefined;
      const name = `${projectKey}\u0000${typeId}`;
      let index = this.fieldIndexes.get(name);
      if (!index && create)
        this.fieldIndexes.set(name, (index = new FieldIndex(['key', ...(INDEXED_PATHS[typeId] ?? [])])));
      return index;
    }

    /** What the storage holds for `id` (a copy), read without waiting. */
    private stored(projectKey: string, typeId: ResourceType, id: string): { key?: unknown } | undefined {
      return as<{ key?: unknown } | undefined>(this.resources[projectKey]?.[typeId]?.get(id));
    }

    private isStored(projectKey: string, typeId: ResourceType, id: string): boolean {
      return this.resources[projectKey]?.[typeId]?.has(id) ?? false;
    }

    override async add<RT extends ResourceType>(
      projectKey: string,
      typeId: RT,
      obj: Args<'add'>[2],
      params?: GetParams,
    ) {
      if (typeId === 'cart' || typeId === 'order') fixTotals(obj);
      const index = this.indexOf(projectKey, typeId, true);
      if (!index) return super.add(projectKey, typeId, as<never>(obj), params);
      const id = obj.id;
      const ticket = index.beginWrite(id, this.isStored(projectKey, typeId, id));
      let written: unknown;
      try {
        // Without expansion, the answer is a fresh copy of what was stored.
        const result = await super.add(projectKey, typeId, as<never>(obj), params);
        if (!params?.expand?.length) written = result;
        return result;
      } finally {
        index.endWrite(id, ticket, written, () => this.stored(projectKey, typeId, id));
      }
    }

    override async delete<RT extends ResourceType>(projectKey: string, typeId: RT, id: string, params: GetParams = {}) {
      const index = this.indexOf(projectKey, typeId, false);
      if (!index) return super.delete(projectKey, typeId, id, params);
      const ticket = index.beginWrite(id, this.isStored(projectKey, typeId, id));
      try {
        return await super.delete(projectKey, typeId, id, params);
      } finally {
        index.endWrite(id, ticket, undefined, () => this.stored(projectKey, typeId, id));
      }
    }

    /**
     * Every storage read and write passes here first (the mock's `forProjectKey` calls it), so
     * the sandbox's own types are added to the project's maps as soon as they exist.
     */
    override async addProject(projectKey: string) {
      const project = await super.addProject(projectKey);
      const maps = this.resources[projectKey] as unknown as Record<string, unknown> | undefined;
      if (maps) {
        // The mock's map type is not exported: a new one of the kind it keeps payments in.
        const MapOfType = (maps.payment as object).constructor as new () => unknown;
        for (const typeId of SANDBOX_TYPES) maps[typeId] ??= new MapOfType();
      }
      return project;
    }

    override async clear(): Promise<void> {
      await super.clear();
      this.fieldIndexes.clear();
    }

    override async getByKey<RT extends ResourceType>(
      projectKey: string,
      typeId: RT,
      key: string,
      params: GetParams = {},
    ) {
      const index = this.indexOf(projectKey, typeId, false);
      if (!index) {
        this.tally(typeId, 'scanned');
        return super.getByKey(projectKey, typeId, key, params);
      }
      this.tally(typeId, 'indexed');
      // The first in insertion order whose key is `key`, as the mock's scan finds it.
      for (const id of index.candidates('key', [key])) {
        const resource = this.stored(projectKey, typeId, id);
        if (resource?.key === key)
          return this.expand(
            projectKey,
            as<Awaited<ReturnType<typeof _storage.getByKey<RT>>>>(resource),
            params.expand,
          );
      }
      return null;
    }

    override query<RT extends ResourceType>(projectKey: string, typeId: RT, params: QueryParams) {
      const plan = this.plan(projectKey, typeId, params.where);
      this.tally(typeId, plan ? 'indexed' : 'scanned');
      if (!plan) return super.query(projectKey, typeId, params);
      return scope.run(plan, () => super.query(projectKey, typeId, params));
    }

    /** The narrowest lookup the predicate allows, if any. */
    private plan(projectKey: string, typeId: string, where: QueryParams['where']): Plan | undefined {
      const index = where === undefined ? undefined : this.indexOf(projectKey, typeId, false);
      if (!index || where === undefined) return undefined;
      const lookups = lookupsOf(where, (path) => index.leadsToIndex(path))?.filter((l) => index.covers(l.path));
      if (!lookups?.length) return undefined;
      const lookup = lookups.reduce((a, b) => (index.size(b.path, b.values) < index.size(a.path, a.values) ? b : a));
      return { projectKey, typeId, index, lookup, used: false };
    }

    /** Within a planned query: only the candidates, read at once, in the order a scan visits them. */
    override async all<RT extends ResourceType>(projectKey: string, typeId: RT) {
      const plan = scope.getStore();
      if (!plan || plan.used || plan.projectKey !== projectKey || plan.typeId !== typeId)
        return super.all(projectKey, typeId);
      plan.used = true;
      const found = plan.index
        .candidates(plan.lookup.path, plan.lookup.values)
        .map((id) => this.stored(projectKey, typeId, id))
        .filter((resource) => resource !== undefined);
      return as<Awaited<ReturnType<typeof _storage.all<RT>>>>(found);
    }
  }

  return new Storage();
}
