import type Stripe from 'stripe';
import { invalid } from './errors';
import { int, str, type Params } from './form';
import { compileSearch } from './search';

export function listObject<T>(data: T[], url: string, hasMore = false): Stripe.ApiList<T> {
  return { object: 'list', data, has_more: hasMore, url };
}

/** `created` as Stripe filters it: a timestamp, or `{gt, gte, lt, lte}`. */
export function createdMatches(created: number, filter: unknown): boolean {
  if (filter === undefined || filter === '') return true;
  if (typeof filter === 'string') return created === Number(filter);
  if (typeof filter !== 'object' || filter === null) throw invalid('Invalid created filter', 'created');
  const range = filter as Record<string, unknown>;
  const bound = (name: string) => {
    const value = range[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^\d+$/.test(value)) throw invalid('Invalid integer', `created[${name}]`);
    return Number(value);
  };
  const [gt, gte, lt, lte] = [bound('gt'), bound('gte'), bound('lt'), bound('lte')];
  return (
    (gt === undefined || created > gt) &&
    (gte === undefined || created >= gte) &&
    (lt === undefined || created < lt) &&
    (lte === undefined || created <= lte)
  );
}

/**
 * Newest first, with `limit` (1-100), `starting_after`, `ending_before` and `created`, like
 * every Stripe list. Objects created in the same second keep their creation order reversed.
 */
export function paginate<T extends { id: string; created: number }>(
  items: readonly T[],
  params: Params,
  url: string,
): Stripe.ApiList<T> {
  const limit = int(params, 'limit', { min: 1 }) ?? 10;
  if (limit > 100) throw invalid('This value must be less than or equal to 100.', 'limit');
  const sorted = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => createdMatches(item.created, params.created))
    .sort((a, b) => b.item.created - a.item.created || b.index - a.index)
    .map(({ item }) => item);
  const after = str(params, 'starting_after');
  const before = str(params, 'ending_before');
  if (before) {
    const end = sorted.findIndex((item) => item.id === before);
    const stop = end < 0 ? 0 : end;
    const start = Math.max(0, stop - limit);
    return listObject(sorted.slice(start, stop), url, start > 0);
  }
  let start = 0;
  if (after) {
    const index = sorted.findIndex((item) => item.id === after);
    start = index < 0 ? sorted.length : index + 1;
  }
  return listObject(sorted.slice(start, start + limit), url, start + limit < sorted.length);
}

/** Search API result (`/v1/.../search`), newest first; `page` is the opaque cursor of `next_page`. */
export function searchResult<T extends { id: string; created: number }>(
  items: readonly T[],
  params: Params,
  url: string,
): Stripe.ApiSearchResult<T> {
  const query = str(params, 'query', { required: true })!;
  const limit = int(params, 'limit', { min: 1 }) ?? 10;
  if (limit > 100) throw invalid('This value must be less than or equal to 100.', 'limit');
  const page = str(params, 'page');
  const offset = page ? Number(Buffer.from(page, 'base64url').toString('utf8')) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw invalid('Invalid page.', 'page');
  const matches = compileSearch(query);
  const found = items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => matches(item as unknown as Record<string, unknown>))
    .sort((a, b) => b.item.created - a.item.created || b.index - a.index)
    .map(({ item }) => item);
  const data = found.slice(offset, offset + limit);
  const hasMore = offset + limit < found.length;
  return {
    object: 'search_result',
    data,
    has_more: hasMore,
    next_page: hasMore ? Buffer.from(String(offset + limit)).toString('base64url') : null,
    url,
  };
}
