import { readFileSync } from 'node:fs';
import path from 'node:path';
import { VERSION } from '../../src/core/version';

it('the version is the one in processor/package.json', () => {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { version: string };
  expect(VERSION).toBe(pkg.version);
  expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
});
