/**
 * Regenerates the configuration table of the README and processor/.env.template from the
 * config schema (`npm run docs:config`). A test fails when they drift apart.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describeKeys } from '../src/config/schema';

const root = path.resolve(__dirname, '../..');
const keys = describeKeys();

const table = [
  '| key | required | default | kind | what |',
  '| --- | --- | --- | --- | --- |',
  ...keys.map(
    (k) =>
      `| \`${k.key}\` | ${k.required ? 'yes' : 'no'} | ${k.default !== undefined ? `\`${k.default}\`` : ''} | ${k.secret ? 'secret' : k.localOnly ? 'local runs' : k.injected ? 'set by Connect' : ''} | ${k.description.replace(/\|/g, '\\|')} |`,
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
process.stdout.write(`documented ${keys.length} keys\n`);
