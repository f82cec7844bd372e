/**
 * Secondary indexes of one resource type of one project: for each indexed path, which resources
 * hold which string value there. Paths are dot-separated; arrays are looked into at every step (as
 * the predicate language does: `paymentInfo(payments(id = "…"))` matches any payment of the list),
 * and a `*` step takes every field of an object (`custom.fields.*`: each custom field by its name).
 */

type Values = Map<string, Set<string>>;

/** Every string at `path` of `resource`, by concrete path (`*` steps replaced by the field names). */
function collect(value: unknown, steps: readonly string[], at: number, path: string, out: Map<string, Set<string>>) {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, steps, at, path, out);
    return;
  }
  if (at === steps.length) {
    if (typeof value !== 'string') return;
    let values = out.get(path);
    if (!values) out.set(path, (values = new Set()));
    values.add(value);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const step = steps[at]!;
  const fields = value as Record<string, unknown>;
  if (step === '*') {
    for (const [name, field] of Object.entries(fields)) collect(field, steps, at + 1, `${path}.${name}`, out);
  } else if (Object.hasOwn(fields, step)) {
    collect(fields[step], steps, at + 1, path === '' ? step : `${path}.${step}`, out);
  }
}

export class FieldIndex {
  private readonly patterns: string[][];
  private readonly prefixes = new Set<string>();
  /** Concrete path → value → ids. */
  private readonly byValue = new Map<string, Values>();
  /** What each id is indexed under, to take it out again. */
  private readonly indexed = new Map<string, Map<string, Set<string>>>();
  /** Position of each stored id in the storage's insertion order (the order a scan visits them in). */
  private readonly position = new Map<string, number>();
  private nextPosition = 0;
  /**
   * Ids whose write is under way (how many, and the latest one's ticket): always candidates, so a
   * lookup never misses what the storage holds.
   */
  private readonly writing = new Map<string, { count: number; last: number }>();
  private tickets = 0;

  constructor(paths: readonly string[]) {
    this.patterns = paths.map((p) => p.split('.'));
    for (const steps of this.patterns)
      for (let n = 1; n < steps.length; n++) this.prefixes.add(steps.slice(0, n).join('.'));
  }

  /** Whether a predicate may nest through `path` (`paymentInfo`, `paymentInfo.payments`, …). */
  leadsToIndex(path: string): boolean {
    return this.prefixes.has(path) || this.prefixes.has(wildcard(path));
  }

  covers(path: string): boolean {
    return path === 'id' || this.patterns.some((steps) => matches(steps, path.split('.')));
  }

  /**
   * Called before a write: the id takes the place in the order that the storage gives it. Answers
   * the ticket to end the write with.
   */
  beginWrite(id: string, isStored: boolean): number {
    const ticket = ++this.tickets;
    this.writing.set(id, { count: (this.writing.get(id)?.count ?? 0) + 1, last: ticket });
    if (!this.position.has(id) || !isStored) {
      if (!isStored) this.position.delete(id);
      this.position.set(id, this.nextPosition++);
    }
    return ticket;
  }

  /**
   * Called after a write with what it wrote (undefined for a delete) and a reader of what the
   * storage holds now: what it wrote is what the storage holds unless another write of the id
   * overlapped it, and then the storage is read.
   */
  endWrite(id: string, ticket: number, written: unknown, read: () => unknown): void {
    const entry = this.writing.get(id);
    const alone = entry?.count === 1 && entry.last === ticket;
    if (entry && entry.count > 1) entry.count--;
    else this.writing.delete(id);
    this.reindex(id, alone && written !== undefined ? written : read());
  }

  private reindex(id: string, stored: unknown): void {
    const before = this.indexed.get(id);
    if (before) {
      for (const [path, values] of before) {
        const byValue = this.byValue.get(path);
        for (const value of values) {
          const ids = byValue?.get(value);
          ids?.delete(id);
          if (ids?.size === 0) byValue!.delete(value);
        }
      }
      this.indexed.delete(id);
    }
    if (stored === undefined) {
      if (!this.writing.has(id)) this.position.delete(id);
      return;
    }
    const now = new Map<string, Set<string>>();
    for (const steps of this.patterns) collect(stored, steps, 0, '', now);
    for (const [path, values] of now) {
      let byValue = this.byValue.get(path);
      if (!byValue) this.byValue.set(path, (byValue = new Map()));
      for (const value of values) {
        let ids = byValue.get(value);
        if (!ids) byValue.set(value, (ids = new Set()));
        ids.add(id);
      }
    }
    if (now.size > 0) this.indexed.set(id, now);
  }

  /** How many candidates a lookup yields (to pick the narrowest of several). */
  size(path: string, values: readonly string[]): number {
    if (path === 'id') return values.length;
    const byValue = this.byValue.get(path);
    return values.reduce((n, v) => n + (byValue?.get(v)?.size ?? 0), 0) + this.writing.size;
  }

  /** Ids that may match, in the storage's insertion order. */
  candidates(path: string, values: readonly string[]): string[] {
    const ids = new Set<string>(this.writing.keys());
    if (path === 'id') {
      for (const value of values) if (this.position.has(value)) ids.add(value);
    } else {
      const byValue = this.byValue.get(path);
      for (const value of values) for (const id of byValue?.get(value) ?? []) ids.add(id);
    }
    return [...ids].sort((a, b) => (this.position.get(a) ?? Infinity) - (this.position.get(b) ?? Infinity));
  }
}

function wildcard(path: string): string {
  const steps = path.split('.');
  steps[steps.length - 1] = '*';
  return steps.join('.');
}

function matches(pattern: readonly string[], steps: readonly string[]): boolean {
  return pattern.length === steps.length && pattern.every((p, i) => p === '*' || p === steps[i]);
}
