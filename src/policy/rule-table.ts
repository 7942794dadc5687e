/** The Markdown rule table of docs/policy.md, generated from the rules (a test keeps the doc in sync). */
import { Rule } from './types';

const cell = (s: string): string => s.replace(/\|/g, '\\|');

export function renderRuleTable(rules: readonly Rule[]): string {
  const lines = ['| Rule | Severity | Resource types | Must hold | Controls | Scanner ids |', '|---|---|---|---|---|---|'];
  for (const r of rules) {
    const scanners = Object.entries(r.scanners)
      .map(([scanner, ids]) => `${scanner}: ${(ids as string[]).join(', ')}`)
      .join('; ');
    lines.push(`| ${r.id} ${r.name} | ${r.severity} | ${r.resourceTypes.join(', ')} | ${cell(r.info)} | ${r.controls.join(', ') || '(custom)'} | ${cell(scanners) || 'none: no scanner checks it'} |`);
  }
  return lines.join('\n');
}
