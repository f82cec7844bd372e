import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/**
 * Every axe-core rule (WCAG A/AA and best practices) on the page, or only inside `include`.
 * Resolves to one line per element that breaks a rule: its id, impact and target, so a failing
 * `expect(...).toEqual([])` lists them all. The page must come from `browser.newContext()`.
 */
export async function axeViolations(page: Page, include?: string): Promise<string[]> {
  const builder = new AxeBuilder({ page });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations.flatMap((rule) =>
    rule.nodes.map((node) => `${rule.id} (${rule.impact ?? 'unknown'}) ${node.target.join(' ')}: ${rule.help}`),
  );
}
