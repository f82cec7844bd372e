import { invalid } from './errors';

/**
 * The subset of Stripe's search query language the connector and tests use: clauses joined by
 * AND (or OR), each `metadata['key']:'value'`, `field:'value'`, or `created>n` / `created<n`.
 */
export function searchMatches(query: string, object: Record<string, unknown>): boolean {
  const ors = query.split(/\s+OR\s+/);
  return ors.some((part) => part.split(/\s+AND\s+/).every((clause) => clauseMatches(clause.trim(), object)));
}

function clauseMatches(clause: string, object: Record<string, unknown>): boolean {
  const meta = /^-?metadata\[['"]([^'"]+)['"]\]:['"]([^'"]*)['"]$/.exec(clause);
  if (meta) {
    const value = (object.metadata as Record<string, string> | undefined)?.[meta[1]!];
    const matches = value === meta[2];
    return clause.startsWith('-') ? !matches : matches;
  }
  const field = /^(-?)([a-z_]+):['"]([^'"]*)['"]$/.exec(clause);
  if (field) {
    const matches = String(object[field[2]!] ?? '') === field[3];
    return field[1] === '-' ? !matches : matches;
  }
  const range = /^created([<>]=?)(\d+)$/.exec(clause);
  if (range) {
    const created = Number(object.created);
    const n = Number(range[2]);
    switch (range[1]) {
      case '>':
        return created > n;
      case '>=':
        return created >= n;
      case '<':
        return created < n;
      default:
        return created <= n;
    }
  }
  throw invalid(`Invalid search query: ${clause}`, 'query');
}
