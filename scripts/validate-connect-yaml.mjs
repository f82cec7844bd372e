#!/usr/bin/env node
// `npm run validate:connect`: checks connect.yaml with commercetools' own specification package
// (what their CLI's `connect validate` parses it with). Prints every problem; exits 1 on any.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectorSpecificationParser } from '@commercetools-connect/specification';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const file = process.argv[2] ?? path.join(root, 'connect.yaml');
try {
  const spec = await new ConnectorSpecificationParser().parse(readFileSync(file, 'utf8'));
  const apps = spec.deployAs.map((app) => `${app.name} (${app.applicationType})`).join(', ');
  process.stdout.write(`connect.yaml is valid: ${apps}\n`);
} catch (error) {
  process.stderr.write(`connect.yaml is not valid:\n${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
