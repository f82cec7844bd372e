/**
 * Invariant (f): what the connector writes (each replica's stdout and stderr, the reconcile and
 * post-deploy commands) is scanned line by line as it comes, so that no log is kept in memory.
 */
const LEAKS: readonly { name: string; pattern: RegExp }[] = [
  { name: 'Stripe secret key', pattern: /\b(sk|rk)_(test|live)_[A-Za-z0-9]/ },
  { name: 'webhook signing secret', pattern: /whsec_[A-Za-z0-9]/ },
  { name: 'client secret', pattern: /_secret_[A-Za-z0-9]/ },
  {
    name: 'raw Stripe payload',
    pattern: /\\?"object\\?"\s*:\s*\\?"(payment_intent|charge|refund|event|dispute|balance_transaction)\\?"/,
  },
];

export interface LogFinding {
  source: string;
  leak: string;
  excerpt: string;
}

export class LogScan {
  lines = 0;
  readonly findings: LogFinding[] = [];
  /** The last lines of each source, for diagnostics when a replica fails. */
  private readonly tails = new Map<string, string[]>();

  line(source: string, line: string): void {
    if (!line) return;
    this.lines += 1;
    for (const { name, pattern } of LEAKS) {
      const match = pattern.exec(line);
      if (match && this.findings.length < 200) {
        const at = Math.max(0, match.index - 60);
        // The excerpt is shown in the report: the secret itself is cut to its prefix.
        const excerpt = `${line.slice(at, match.index)}${match[0].slice(0, 12)}…`;
        this.findings.push({ source, leak: name, excerpt });
      }
    }
    const tail = this.tails.get(source) ?? [];
    tail.push(line.slice(0, 500));
    if (tail.length > 30) tail.shift();
    this.tails.set(source, tail);
  }

  /** Feeds a chunked stream, line by line. */
  feeder(source: string): (chunk: string) => void {
    let buffer = '';
    return (chunk: string) => {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        this.line(source, buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
      }
    };
  }

  tail(source: string): string {
    return (this.tails.get(source) ?? []).join('\n');
  }
}
