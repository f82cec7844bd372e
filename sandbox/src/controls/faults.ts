/**
 * Fault injection for an emulated upstream: "the next N requests matching METHOD + path
 * pattern answer STATUS (or are delayed, or have their connection dropped)".
 *
 * Pure state + matching; the HTTP wiring lives in `install.ts`.
 */

export interface FaultSpec {
  /** HTTP method to match, or `*` for any. */
  method: string;
  /**
   * Path pattern, matched against the path without query string. `*` matches within one
   * segment, `**` matches across segments. Example: `/sandbox/payments/*`.
   */
  path: string;
  /**
   * Only requests whose `Idempotency-Key` header matches this pattern (`*` matches any
   * characters), e.g. the writes of one kind a client keys with a known prefix.
   */
  idempotencyKey?: string;
  /** How many matching requests the fault applies to (default 1). */
  times?: number;
  /** Status to answer with. Omit for a pure delay. */
  status?: number;
  /** Body to answer with; a default shaped like the upstream's errors is used otherwise. */
  body?: unknown;
  /** Delay before answering (or before passing the request on when no status is set). */
  delayMs?: number;
  /** Destroy the socket instead of answering (a network failure as the client sees it). */
  drop?: boolean;
  /**
   * `after`: the request is executed first and only its answer is replaced or lost (a timeout or
   * a dropped connection after the upstream did the work). Default `before`: never executed.
   */
  phase?: 'before' | 'after';
}

export interface FaultRule extends Required<Pick<FaultSpec, 'method' | 'path'>> {
  id: string;
  idempotencyKey?: string;
  remaining: number;
  status?: number;
  body?: unknown;
  delayMs?: number;
  drop?: boolean;
  phase: 'before' | 'after';
  hits: number;
}

export type FaultAction =
  | { kind: 'respond'; rule: FaultRule; status: number; body: unknown; delayMs: number }
  | { kind: 'drop'; rule: FaultRule; delayMs: number }
  | { kind: 'delay'; rule: FaultRule; delayMs: number };

const MAX_RULES = 1000;

export class FaultValidationError extends Error {}

export function compilePathPattern(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '*') {
      if (pattern.charAt(i + 1) === '*') {
        source += '.*';
        i++;
      } else {
        source += '[^/]*';
      }
    } else {
      source += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

/** An `Idempotency-Key` pattern: `*` matches any characters, the rest itself. */
function keyPattern(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

export class FaultInjector {
  private rules: { rule: FaultRule; regex: RegExp; key?: RegExp }[] = [];
  private seq = 0;

  add(spec: FaultSpec): FaultRule {
    const errors: string[] = [];
    if (typeof spec.method !== 'string' || spec.method.length === 0) errors.push('method is required');
    if (typeof spec.path !== 'string' || !spec.path.startsWith('/'))
      errors.push('path must be a pattern starting with /');
    const times = spec.times ?? 1;
    if (!Number.isInteger(times) || times < 1 || times > 100000) errors.push('times must be an integer >= 1');
    if (spec.status !== undefined && (!Number.isInteger(spec.status) || spec.status < 100 || spec.status > 599))
      errors.push('status must be an HTTP status code');
    if (spec.delayMs !== undefined && (!Number.isFinite(spec.delayMs) || spec.delayMs < 0 || spec.delayMs > 120000))
      errors.push('delayMs must be between 0 and 120000');
    if (spec.status === undefined && !spec.drop && spec.delayMs === undefined)
      errors.push('one of status, delayMs or drop is required');
    if (spec.phase !== undefined && spec.phase !== 'before' && spec.phase !== 'after')
      errors.push('phase must be before or after');
    if (spec.idempotencyKey !== undefined && (typeof spec.idempotencyKey !== 'string' || spec.idempotencyKey === ''))
      errors.push('idempotencyKey must be a non-empty pattern');
    if (this.rules.length >= MAX_RULES) errors.push(`at most ${MAX_RULES} fault rules`);
    if (errors.length > 0) throw new FaultValidationError(errors.join('; '));

    const rule: FaultRule = {
      id: `fault_${++this.seq}`,
      method: spec.method.toUpperCase(),
      path: spec.path,
      remaining: times,
      hits: 0,
      phase: spec.phase ?? 'before',
      ...(spec.idempotencyKey !== undefined ? { idempotencyKey: spec.idempotencyKey } : {}),
      ...(spec.status !== undefined ? { status: spec.status } : {}),
      ...(spec.body !== undefined ? { body: spec.body } : {}),
      ...(spec.delayMs !== undefined ? { delayMs: spec.delayMs } : {}),
      ...(spec.drop ? { drop: true } : {}),
    };
    this.rules.push({
      rule,
      regex: compilePathPattern(spec.path),
      ...(spec.idempotencyKey !== undefined ? { key: keyPattern(spec.idempotencyKey) } : {}),
    });
    return rule;
  }

  /**
   * Consumes one use of the first rule that matches, in insertion order, and says what to do.
   */
  take(
    method: string,
    path: string,
    defaultBody: (status: number) => unknown,
    idempotencyKey?: string,
  ): FaultAction | undefined {
    const upper = method.toUpperCase();
    const index = this.rules.findIndex(
      ({ rule, regex, key }) =>
        (rule.method === '*' || rule.method === upper) &&
        regex.test(path) &&
        (!key || (idempotencyKey !== undefined && key.test(idempotencyKey))),
    );
    if (index < 0) return undefined;
    const entry = this.rules[index]!;
    const rule = entry.rule;
    rule.remaining -= 1;
    rule.hits += 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    const delayMs = rule.delayMs ?? 0;
    if (rule.drop) return { kind: 'drop', rule, delayMs };
    if (rule.status !== undefined) {
      return {
        kind: 'respond',
        rule,
        status: rule.status,
        body: rule.body ?? defaultBody(rule.status),
        delayMs,
      };
    }
    return { kind: 'delay', rule, delayMs };
  }

  list(): FaultRule[] {
    return this.rules.map(({ rule }) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter(({ rule }) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }
}
