/**
 * Reports over the pack's findings: per stack, what passed (per rule), what failed, what is
 * suppressed (with the written reason), what could not be evaluated. Text for terminals, Markdown
 * for PR comments, JSON for tools. Deterministic: sorted, no timestamps or paths.
 */
import { Finding, StackFindings } from './pack';
import { SEVERITY_ORDER } from './types';

export type ReportFormat = 'text' | 'markdown' | 'json';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'markdown', 'json'];

export interface StackReport {
  readonly stack: string;
  readonly production: boolean;
  readonly summary: { readonly passed: number; readonly failed: number; readonly suppressed: number; readonly unknown: number; readonly notApplicable: number };
  /** Rules with at least one passing resource: rule id -> number of resources. */
  readonly passedRules: readonly { readonly ruleId: string; readonly resources: number }[];
  readonly failures: readonly Finding[];
  readonly suppressed: readonly Finding[];
  readonly unknown: readonly Finding[];
  readonly unusedSuppressions: StackFindings['unusedSuppressions'];
}

function bySeverity(a: Finding, b: Finding): number {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || compareIds(a.ruleId, b.ruleId) || a.address.localeCompare(b.address);
}

/** `MLF-S3-2` before `MLF-S3-10`. */
export function compareIds(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

export function buildReports(results: readonly StackFindings[]): StackReport[] {
  return results.map((r) => {
    const open = r.findings.filter((f) => !f.suppression);
    const passed = open.filter((f) => f.status === 'pass');
    const counts = new Map<string, number>();
    for (const f of passed) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
    return {
      stack: r.stack,
      production: r.production,
      summary: {
        passed: passed.length,
        failed: open.filter((f) => f.status === 'fail').length,
        suppressed: r.findings.filter((f) => f.suppression).length,
        unknown: open.filter((f) => f.status === 'unknown').length,
        notApplicable: open.filter((f) => f.status === 'not-applicable').length,
      },
      passedRules: [...counts.entries()].sort(([a], [b]) => compareIds(a, b)).map(([ruleId, resources]) => ({ ruleId, resources })),
      failures: open.filter((f) => f.status === 'fail').sort(bySeverity),
      suppressed: r.findings.filter((f) => f.suppression).sort(bySeverity),
      unknown: open.filter((f) => f.status === 'unknown').sort(bySeverity),
      unusedSuppressions: r.unusedSuppressions,
    };
  });
}

export function hasUnsuppressedFailure(reports: readonly StackReport[]): boolean {
  return reports.some((r) => r.failures.length > 0);
}

function summaryLine(r: StackReport): string {
  const s = r.summary;
  return `${s.failed} failed, ${s.suppressed} suppressed, ${s.unknown} unknown, ${s.passed} passed, ${s.notApplicable} not applicable`;
}

export function renderText(reports: readonly StackReport[]): string {
  const out: string[] = [];
  for (const r of reports) {
    out.push(`Stack ${r.stack}${r.production ? ' (production)' : ''}: ${summaryLine(r)}`);
    for (const f of r.failures) out.push(`  FAIL    [${f.severity}] ${f.ruleId} ${f.address}: ${f.detail ?? ''}`.trimEnd());
    for (const f of r.unknown) out.push(`  UNKNOWN [${f.severity}] ${f.ruleId} ${f.address}: ${f.detail ?? ''}`.trimEnd());
    for (const f of r.suppressed) out.push(`  SUPPRESSED ${f.ruleId} ${f.address}: ${f.suppression!.reason}`);
    for (const u of r.unusedSuppressions) out.push(`  UNUSED SUPPRESSION ${u.id} at ${u.declaredAt}`);
    if (r.passedRules.length > 0) out.push(`  PASSED  ${r.passedRules.map((p) => `${p.ruleId}(${p.resources})`).join(' ')}`);
    out.push('');
  }
  return out.join('\n');
}

const cell = (text: string | undefined): string => (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(reports: readonly StackReport[]): string {
  const out: string[] = ['# Policy check', ''];
  for (const r of reports) {
    out.push(`## ${r.failures.length > 0 ? '❌' : '✅'} \`${r.stack}\`${r.production ? ' (production)' : ''}`, '', summaryLine(r), '');
    if (r.failures.length > 0) {
      out.push('### Failed', '', '| Severity | Rule | Resource | Detail |', '|---|---|---|---|');
      for (const f of r.failures) out.push(`| ${f.severity} | ${f.ruleId} | \`${f.address}\` | ${cell(f.detail)} |`);
      out.push('');
    }
    if (r.unknown.length > 0) {
      out.push('### Could not be evaluated', '', '| Rule | Resource | Detail |', '|---|---|---|');
      for (const f of r.unknown) out.push(`| ${f.ruleId} | \`${f.address}\` | ${cell(f.detail)} |`);
      out.push('');
    }
    if (r.suppressed.length > 0) {
      out.push('<details><summary>Suppressed (' + r.suppressed.length + ')</summary>', '', '| Rule | Resource | Reason |', '|---|---|---|');
      for (const f of r.suppressed) out.push(`| ${f.ruleId} | \`${f.address}\` | ${cell(f.suppression!.reason)} |`);
      out.push('', '</details>', '');
    }
    if (r.passedRules.length > 0) out.push(`<details><summary>Passed rules (${r.passedRules.length})</summary>`, '', r.passedRules.map((p) => `${p.ruleId} (${p.resources})`).join(', '), '', '</details>', '');
  }
  return out.join('\n');
}

export function renderJson(reports: readonly StackReport[]): string {
  return JSON.stringify({ stacks: reports, failed: hasUnsuppressedFailure(reports) }, null, 2) + '\n';
}

export function render(reports: readonly StackReport[], format: ReportFormat): string {
  return format === 'json' ? renderJson(reports) : format === 'markdown' ? renderMarkdown(reports) : renderText(reports);
}
