/**
 * Regenerates the JSON Schemas of what the Stripe emulator answers and delivers
 * (sandbox/schemas/stripe/) from the `stripe` package's TypeScript types. Run after upgrading
 * `stripe`:
 *
 *   npm run schemas:stripe -w sandbox            write them
 *   npm run schemas:stripe -w sandbox -- --check fail (exit 1) when the committed ones are stale
 */
import path from 'node:path';
import { SCHEMA_DIR, staleStripeSchemas, writeStripeSchemas } from './stripe-schemas/committed';
import { generateStripeSchemas } from './stripe-schemas/generate';

const started = Date.now();
const documents = generateStripeSchemas();
const where = path.relative(process.cwd(), SCHEMA_DIR);
if (process.argv.includes('--check')) {
  const stale = staleStripeSchemas(documents);
  if (stale.length > 0) {
    process.stderr.write(
      `The Stripe schemas in ${where} are stale (run npm run schemas:stripe -w sandbox):\n  ${stale.join('\n  ')}\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`The ${Object.keys(documents).length} Stripe schemas in ${where} are up to date.\n`);
} else {
  const files = writeStripeSchemas(documents);
  process.stdout.write(`Wrote ${files.length} schema files to ${where} in ${Date.now() - started} ms\n`);
}
