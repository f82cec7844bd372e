import { invalid } from './errors';

type Matcher = (object: Record<string, unknown>) => boolean;

function clause(text: string): Matcher {
  const negated = text.startsWith('-');
  const body = negated ? text.slice(1) : text;
  const meta = /^metadata\[['"]([^'"]+)['"]\]:['"]([^'"]*)['"]$/.exec(body);
  const field = /^([a-z_]+):['"]([^'"]*)['"]$/.exec(body);
  const number = /^([a-z_]+)([<>]=?|:)(\d+)$/.exec(body);
  let match: Matcher;
  if (meta) {
    match = (o) => (o.metadata as Record<string, string> | undefined)?.[meta[1]!] === meta[2];
  } else if (field) {
    match = (o) => String(o[field[1]!] ?? '') === field[2];
  } else if (number) {
    const [, name, op, raw] = number;
    const n = Number(raw);
    match = (o) => {
      const value = Number(o[name!]);
      if (op === '>') return value > n;
      if (op === '>=') return value >= n;
      if (op === '<') return value < n;
      if (op === '<=') return value <= n;
      return value === n;
    };
  } else {
    throw invalid(`Invalid search query: could not parse "${text}".`, 'query');
  }
  return negated ? (o) => !match(o) : match;
}

/**
 * The part of Stripe's search query language the connector and tests use: clauses joined by
 * AND or OR (not both, as in Stripe), each `metadata['key']:'value'`, `field:'value'`,
 * `field>n` / `field<n` / `field:n`, optionally negated with `-`. Refused when malformed.
 */
export function compileSearch(query: string): Matcher {
  const trimmed = query.trim();
  if (!trimmed) throw invalid('Invalid search query: the query is empty.', 'query');
  const hasAnd = /\s+AND\s+/.test(trimmed);
  const hasOr = /\s+OR\s+/.test(trimmed);
  if (hasAnd && hasOr) throw invalid('Invalid search query: AND and OR cannot be combined.', 'query');
  const clauses = trimmed.split(/\s+(?:AND|OR)\s+/).map(clause);
  return hasOr ? (o) => clauses.some((m) => m(o)) : (o) => clauses.every((m) => m(o));
}
