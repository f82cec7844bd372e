/**
 * Regenerates, from the config schema (`npm run docs:config`): the configuration table of the
 * README, processor/.env.template and the configuration of connect.yaml. Tests fail when they
 * drift apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeKeys } from '../src/config/schema';
import { REQUIRED_SCOPES, SAVED_METHOD_SCOPES } from '../src/operations/status';

const root = path.resolve(__dirname, '../..');
const keys = describeKeys();

const table = [
  '| key | required | default | kind | what |',
  '| --- | --- | --- | --- | --- |',
  ...keys.map(
    (k) =>
      `| \`${k.key}\` | ${k.required ? 'yes' : 'no'} | ${k.default !== undefined ? `\`${k.default}\`` : ''} | ${[k.secret ? 'secret' : '', k.localOnly ? 'local runs' : '', k.injected ? 'set by Connect' : ''].filter(Boolean).join(', ')} | ${k.description.replace(/\|/g, '\\|')} |`,
  ),
].join('\n');

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- config-table:start -->';
const end = '<!-- config-table:end -->';
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
writeFileSync(readmePath, `${before}\n\n${table}\n\n${after}`);

const template = [
  '# Processor configuration for local runs (copy to processor/.env). npm start does not need it.',
  '# Every key is described in the README (Processor configuration).',
  '',
  ...keys.flatMap((k) => [`# ${k.description}${k.required ? ' (required)' : ''}`, `${k.key}=${k.default ?? ''}`, '']),
].join('\n');
writeFileSync(path.join(root, 'processor/.env.template'), template);
const deployed = keys.filter((k) => !k.localOnly && !k.injected);
const yamlString = (value: string) => JSON.stringify(value);
const entry = (k: (typeof keys)[number]) =>
  [
    `          - key: ${k.key}`,
    `            description: ${yamlString(k.description)}`,
    ...(k.required ? ['            required: true'] : []),
    ...(k.default !== undefined ? [`            default: ${yamlString(k.default)}`] : []),
  ].join('\n');
const connectYaml = [
  '# commercetools Connect deployment of the Stripe connector.',
  '# The configuration lists and the scopes are generated from the processor: npm run docs:config',
  '# Connect creates the API client of the deployment with exactly these scopes (and sets',
  '# CTP_PROJECT_KEY, CTP_CLIENT_ID and CTP_CLIENT_SECRET); the enabler needs none. The last two',
  '# are used only with STRIPE_SAVED_PAYMENT_METHODS=on (a deployment cannot add scopes later).',
  'inheritAs:',
  '  apiClient:',
  '    scopes:',
  ...[...REQUIRED_SCOPES, ...SAVED_METHOD_SCOPES].map((scope) => `      - ${scope}`),
  'deployAs:',
  '  - name: enabler',
  '    applicationType: assets',
  '  - name: processor',
  '    applicationType: service',
  '    endpoint: /',
  '    scripts:',
  '      postDeploy: npm install && npm run build && npm run connector:post-deploy',
  '      preUndeploy: npm install && npm run build && npm run connector:pre-undeploy',
  '    configuration:',
  '      standardConfiguration:',
  ...deployed.filter((k) => !k.secret).map(entry),
  '      securedConfiguration:',
  ...deployed.filter((k) => k.secret).map(entry),
  '',
].join('\n');
writeFileSync(path.join(root, 'connect.yaml'), connectYaml);
process.stdout.write(`documented ${keys.length} keys (${deployed.length} in connect.yaml)\n`);
