import { readFileSync } from 'node:fs';
import { REPO_ROOT } from 'sandbox/src/testing/spawn';
import { describeKeys } from '../../src/config/schema';

const readme = readFileSync(`${REPO_ROOT}/README.md`, 'utf8');
const table = readme.slice(readme.indexOf('<!-- config-table:start -->'), readme.indexOf('<!-- config-table:end -->'));
/** Rows of the markdown table as trimmed cells (prettier pads the columns). */
const rows = table
  .split('\n')
  .filter((line) => line.startsWith('|'))
  .map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim()),
  );
const template = readFileSync(`${REPO_ROOT}/processor/.env.template`, 'utf8');

describe('the README and .env.template document every config key', () => {
  it.each(describeKeys().map((k) => [k.key, k] as const))('%s', (key, info) => {
    const row = rows.find((cells) => cells[0] === `\`${key}\``);
    expect(row).toBeDefined();
    expect(row![1]).toBe(info.required ? 'yes' : 'no');
    expect(row![2]).toBe(info.default !== undefined ? `\`${info.default}\`` : '');
    expect(template).toMatch(new RegExp(`^${key}=`, 'm'));
  });

  it('lists no key the schema does not have', () => {
    const keys = new Set(describeKeys().map((k) => k.key));
    const documented = rows.map((cells) => /^`([A-Z_]+)`$/.exec(cells[0] ?? '')?.[1]).filter(Boolean);
    expect(documented.filter((k) => !keys.has(k as never))).toEqual([]);
  });
});
