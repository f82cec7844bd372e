import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * The import boundaries of processor/src (docs/architecture.md) are lint rules; each case below
 * lints a probe file with the repository's ESLint configuration at a path inside the tree and checks that the
 * rule fires (or, for what is allowed, that it does not).
 */
const ROOT = path.resolve(__dirname, '../../..');

interface Message {
  ruleId: string | null;
  message: string;
}

/** Lints every probe in one ESLint process (its Node API, with the repository's config). */
const LINT_PROBES = `
import { ESLint } from 'eslint';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const eslint = new ESLint({ cwd: process.cwd() });
const out = [];
for (const { file, code } of JSON.parse(input)) {
  const [result] = await eslint.lintText(code, { filePath: file });
  out.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
}
process.stdout.write(JSON.stringify(out));
`;

function lintAll(probes: { file: string; code: string }[]): Promise<Message[][]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', LINT_PROBES], { cwd: ROOT });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as Message[][]);
      } catch {
        reject(new Error(`eslint gave no JSON: ${err || out}`));
      }
    });
    child.stdin.end(JSON.stringify(probes));
  });
}

const boundaryErrors = (messages: Message[]) =>
  messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-properties');

const cases: { rule: string; file: string; code: string; bites: boolean }[] = [
  {
    rule: 'only stripe/ imports the Stripe SDK at run time',
    file: 'processor/src/sync/probe.ts',
    code: "import Stripe from 'stripe';\nexport const client = new Stripe('sk_test_x');\n",
    bites: true,
  },
  {
    rule: 'a type import of the Stripe SDK is allowed anywhere',
    file: 'processor/src/sync/probe.ts',
    code: "import type Stripe from 'stripe';\nexport type Intent = Stripe.PaymentIntent;\n",
    bites: false,
  },
  {
    rule: 'stripe/ itself uses the Stripe SDK',
    file: 'processor/src/stripe/probe.ts',
    code: "import Stripe from 'stripe';\nexport const client = new Stripe('sk_test_x');\n",
    bites: false,
  },
  {
    rule: 'production code never imports the sandbox',
    file: 'processor/src/http/routes/probe.ts',
    code: "import { startSandbox } from '../../../../sandbox/src/main';\nexport const start = startSandbox;\n",
    bites: true,
  },
  {
    rule: 'production code never imports the testing helpers',
    file: 'processor/src/operations/probe.ts',
    code: "import { startWorld } from '../../testing/world';\nexport const start = startWorld;\n",
    bites: true,
  },
  {
    rule: 'use cases know no HTTP (fastify)',
    file: 'processor/src/payments/probe.ts',
    code: "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;\n",
    bites: true,
  },
  {
    rule: 'use cases know no HTTP (http/)',
    file: 'processor/src/sync/probe.ts',
    code: "import { errorBody } from '../http/dtos/error';\nexport const body = errorBody;\n",
    bites: true,
  },
  {
    rule: 'adapters point nowhere inward (commercetools/ → sync/)',
    file: 'processor/src/commercetools/probe.ts',
    code: "import { converge } from '../sync/converge';\nexport const c = converge;\n",
    bites: true,
  },
  {
    rule: 'adapters point nowhere inward (stripe/ → operations/)',
    file: 'processor/src/stripe/probe.ts',
    code: "import { modifyPayment } from '../operations/modify-payment';\nexport const m = modifyPayment;\n",
    bites: true,
  },
  {
    rule: 'core knows no adapter',
    file: 'processor/src/core/probe.ts',
    code: "import { statusOf } from '../commercetools/port';\nexport const s = statusOf;\n",
    bites: true,
  },
  {
    rule: 'config knows nothing above it',
    file: 'processor/src/config/probe.ts',
    code: "import { notFound } from '../core/errors';\nexport const n = notFound;\n",
    bites: true,
  },
  {
    rule: 'nothing below the composition root imports it',
    file: 'processor/src/webhooks/probe.ts',
    code: "import { buildDeps } from '../deps';\nexport const b = buildDeps;\n",
    bites: true,
  },
  {
    rule: 'routes hold no business logic (no sync/)',
    file: 'processor/src/http/routes/probe.ts',
    code: "import { converge } from '../../sync/converge';\nexport const c = converge;\n",
    bites: true,
  },
  {
    rule: 'only config/ reads process.env',
    file: 'processor/src/main-probe.ts',
    code: 'export const level = process.env.LOG_LEVEL;\n',
    bites: true,
  },
  {
    rule: 'config/ reads process.env',
    file: 'processor/src/config/probe.ts',
    code: 'export const level = process.env.LOG_LEVEL;\n',
    bites: false,
  },
];

describe('lint enforces the house rules of processor/src', () => {
  let results: Message[][];
  beforeAll(async () => {
    results = await lintAll(cases.map(({ file, code }) => ({ file: path.join(ROOT, file), code })));
  }, 60_000);

  it.each(cases.map((c, index) => ({ ...c, index })))('$rule ($file)', ({ index, bites }) => {
    const errors = boundaryErrors(results[index]!);
    if (bites) expect(errors).not.toHaveLength(0);
    else expect(errors).toEqual([]);
  });
});
