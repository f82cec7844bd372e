/**
 * Which index lookups a `where` predicate allows, if any.
 *
 * The mock evaluates every predicate itself; an index only narrows which resources it evaluates
 * them on. So a lookup must name a superset of the matches, and the mock must fail on the narrowed
 * set exactly when it fails on all resources. Both hold for the subset recognized here: top-level
 * conjunctions (`and`, no `or` / `not`) of `field = "text"`, `field in ("a", "b")`, comparisons
 * with literals and `is [not] defined`, with nesting (`paymentInfo(payments(id = "…"))`) only along
 * the paths that lead to an indexed field. Anything else (variables, `contains`, `is empty`,
 * `matches ignore case`, `within`) is left to the scan, which gives the mock's own answer or error.
 *
 * The tokens mirror the lexer of `@labdigital/commercetools-mock` 4.4.0
 * (`src/lib/predicateParser.ts`): same token types, same order (the first that matches wins, e.g.
 * `trueish` lexes as `true` + `ish`), and the same raw text of a string literal (no unescaping),
 * so a literal names exactly the value the mock compares with.
 */

type TokenType =
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'KEYWORD'
  | 'IN'
  | 'IS'
  | 'DEFINED'
  | 'IDENTIFIER'
  | 'FLOAT'
  | 'INT'
  | 'VARIABLE'
  | 'BOOLEAN'
  | 'STRING'
  | 'COMMA'
  | '('
  | ')'
  | 'COMPARE'
  | '='
  | 'QUOTE';

interface Token {
  type: TokenType;
  /** The matched text; for a string literal, the text between its quotes, unescaped as the mock leaves it. */
  text: string;
}

const word = (w: string) => new RegExp(`${w}(?![-_a-z0-9]+)`, 'iy');

const TOKENS: [TokenType | null, RegExp][] = [
  ['AND', word('and')],
  ['OR', word('or')],
  ['NOT', word('not')],
  ['KEYWORD', word('within')],
  ['IN', word('in')],
  ['KEYWORD', word('matches\\s+ignore\\s+case')],
  ['KEYWORD', word('contains')],
  ['KEYWORD', word('all')],
  ['KEYWORD', word('any')],
  ['KEYWORD', word('empty')],
  ['IS', word('is')],
  ['DEFINED', word('defined')],
  ['IDENTIFIER', /[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}/y],
  ['FLOAT', /\d+\.\d+/y],
  ['INT', /\d+/y],
  ['VARIABLE', /:([-_A-Za-z0-9]+)/y],
  ['BOOLEAN', /(true|false)/y],
  ['IDENTIFIER', /[-_A-Za-z0-9]+/y],
  ['STRING', /"((?:\\.|[^"\\])*)"/y],
  ['STRING', /'((?:\\.|[^'\\])*)'/y],
  ['COMMA', /,/y],
  ['(', /\(/y],
  [')', /\)/y],
  ['COMPARE', />=|<=|>|<|!=/y],
  ['=', /=/y],
  ['QUOTE', /"/y],
  [null, /\s+/y],
];

/** The tokens of a predicate, or null where the mock's lexer would fail. */
function tokenize(source: string): Token[] | null {
  const tokens: Token[] = [];
  let position = 0;
  outer: while (position < source.length) {
    for (const [type, regex] of TOKENS) {
      regex.lastIndex = position;
      const match = regex.exec(source);
      if (!match) continue;
      position += match[0].length;
      if (type) tokens.push({ type, text: type === 'STRING' ? (match[1] ?? '') : match[0] });
      continue outer;
    }
    return null;
  }
  return tokens;
}

/** Resources whose values at `path` (dot-separated) include one of `values`. */
export interface Lookup {
  path: string;
  values: string[];
}

class Unsupported extends Error {}

const LITERALS = new Set<TokenType>(['STRING', 'INT', 'FLOAT', 'BOOLEAN']);

class Recognizer {
  private i = 0;
  readonly lookups: Lookup[] = [];

  constructor(
    private readonly tokens: Token[],
    /** Whether nesting may go through this path: a proper prefix of an indexed path. */
    private readonly leadsToIndex: (path: string) => boolean,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private take(type: TokenType): Token {
    const token = this.tokens[this.i];
    if (token?.type !== type) throw new Unsupported();
    this.i++;
    return token;
  }

  clause(): void {
    this.conjunction('');
    if (this.i !== this.tokens.length) throw new Unsupported();
  }

  private conjunction(prefix: string): void {
    this.term(prefix);
    while (this.peek()?.type === 'AND') {
      this.i++;
      this.term(prefix);
    }
  }

  private term(prefix: string): void {
    if (this.peek()?.type === '(') {
      this.i++;
      this.conjunction(prefix);
      this.take(')');
      return;
    }
    const path = prefix + this.take('IDENTIFIER').text;
    const next = this.tokens[this.i++];
    switch (next?.type) {
      case '(':
        if (!this.leadsToIndex(path)) throw new Unsupported();
        this.conjunction(`${path}.`);
        this.take(')');
        return;
      case '=': {
        const literal = this.tokens[this.i++];
        if (!literal || !LITERALS.has(literal.type)) throw new Unsupported();
        if (literal.type === 'STRING') this.lookups.push({ path, values: [literal.text] });
        return;
      }
      case 'COMPARE': {
        const literal = this.tokens[this.i++];
        if (!literal || !LITERALS.has(literal.type)) throw new Unsupported();
        return;
      }
      case 'IN': {
        this.take('(');
        const values = [this.take('STRING').text];
        while (this.peek()?.type === 'COMMA') {
          this.i++;
          values.push(this.take('STRING').text);
        }
        this.take(')');
        this.lookups.push({ path, values });
        return;
      }
      case 'IS':
        if (this.peek()?.type === 'NOT') this.i++;
        this.take('DEFINED');
        return;
      default:
        throw new Unsupported();
    }
  }
}

/**
 * The lookups every clause of `where` allows (the clauses of an array are and-ed, as the mock
 * does), or null when a clause is outside the recognized subset and only a scan answers exactly.
 */
export function lookupsOf(where: string | string[], leadsToIndex: (path: string) => boolean): Lookup[] | null {
  const lookups: Lookup[] = [];
  for (const clause of Array.isArray(where) ? where : [where]) {
    const tokens = tokenize(clause);
    if (!tokens || tokens.length === 0) return null;
    const recognizer = new Recognizer(tokens, leadsToIndex);
    try {
      recognizer.clause();
    } catch (error) {
      if (error instanceof Unsupported) return null;
      throw error;
    }
    lookups.push(...recognizer.lookups);
  }
  return lookups;
}
