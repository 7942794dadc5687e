/**
 * The three renderings of a {@link PlanReview}: terminal text (ANSI colour only when asked),
 * Markdown for pull-request comments (collapsible, bounded by GitHub's comment size), and JSON for
 * machines (a stable, documented schema: docs/plan-review.md). Renderers only format: every value
 * they print was already redacted when the review was built.
 */
import { ChangeKind } from './actions';
import { DriftClass, DriftReview, DriftSecurityFinding } from './drift';
import { AllowedChange, PlanReview, ResourceReview } from './review';
import { SecurityFinding } from './security';
import { AttributeChange } from './values';

export const FORMATS = ['text', 'markdown', 'json'] as const;
export type Format = (typeof FORMATS)[number];

/** GitHub rejects issue and pull-request comments longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65536;

const KIND_TITLE: Record<ChangeKind, string> = {
  delete: 'Destroy',
  replace: 'Replace',
  update: 'Update in place',
  create: 'Create',
  forget: 'Forget (removed from state, object kept)',
  read: 'Read (data sources)',
  import: 'Import',
  move: 'Move',
  'no-op': 'No change',
};
const KIND_SYMBOL: Record<ChangeKind, string> = {
  delete: '-',
  replace: '-/+',
  update: '~',
  create: '+',
  forget: '.',
  read: '<=',
  import: '<-',
  move: '->',
  'no-op': ' ',
};
const DRIFT_ORDER: readonly DriftClass[] = ['deleted', 'reverted', 'relevant', 'absorbed', 'noise'];
const DRIFT_TITLE: Record<DriftClass, string> = {
  deleted: 'Deleted outside Terraform',
  reverted: 'Reverted by this plan',
  relevant: 'Relevant to planned changes',
  absorbed: 'Absorbed (accepted into state)',
  noise: 'Noise (no meaningful change)',
};

/** What this plan does about an IAM/security-group change made outside Terraform, by its drift class. */
const DRIFT_FATE: Record<DriftClass, string> = {
  deleted: 'deleted outside Terraform',
  reverted: 'this plan reverts it',
  relevant: 'planned changes depend on it',
  absorbed: 'not changed back by this plan',
  noise: 'no meaningful change',
};
const DRIFT_SECURITY_TITLE = 'IAM and security-group changes made OUTSIDE Terraform (broadening first)';

/** Terraform's `Plan:` line for the same plan: `[N to import, ]A to add, C to change, D to destroy.` */
export function terraformCountLine(review: PlanReview): string {
  const t = review.terraformCount;
  return `${t.import > 0 ? `${t.import} to import, ` : ''}${t.add} to add, ${t.change} to change, ${t.destroy} to destroy.`;
}

/** `7 to create, 1 to update, ...`, only the non-zero counts, Terraform's words where it has them. */
export function summaryLine(review: PlanReview): string {
  const s = review.summary;
  const parts: string[] = [];
  const add = (n: number, words: string) => n > 0 && parts.push(`${n} ${words}`);
  add(s.import, 'to import');
  add(s.create, 'to create');
  add(s.update, 'to update');
  add(s.replace, 'to replace');
  add(s.delete, 'to destroy');
  add(s.forget, 'to forget');
  add(s.read, 'to read');
  add(s.move, 'moved');
  add(s.outputs, s.outputs === 1 ? 'output change' : 'output changes');
  const planned = parts.length > 0 ? parts.join(', ') : 'no changes';
  const drift = s.drift > 0 ? `; drift: ${s.drift} outside Terraform (${s.driftDelete} deleted, ${s.driftNoise} noise)` : '';
  return `${planned}${drift}`;
}

function resourceNote(r: ResourceReview): string {
  const notes: string[] = [];
  if (r.kind === 'replace') notes.push(r.actions.join(',') === 'create,delete' ? 'create before destroy' : r.actions.join(',') === 'create,forget' ? 'create new, forget old' : 'destroy then create');
  if (r.actionReason) notes.push(r.actionReason);
  if (r.replacePaths.length > 0) notes.push(`replace paths: ${r.replacePaths.join(', ')}`);
  if (r.previousAddress) notes.push(`moved from ${r.previousAddress}`);
  if (r.imported) notes.push(r.importId ? `import id ${r.importId}` : 'imported');
  if (r.deposed) notes.push(`deposed object ${r.deposed}`);
  if (r.stateful && (r.kind === 'delete' || r.kind === 'replace')) notes.push('STATEFUL');
  return notes.length > 0 ? ` (${notes.join('; ')})` : '';
}

function attributeLine(a: AttributeChange): string {
  const force = a.forcesReplacement ? '   # forces replacement' : '';
  if (a.before === undefined) return `+ ${a.path} = ${a.after}${force}`;
  if (a.after === undefined) return `- ${a.path} = ${a.before}${force}`;
  return `~ ${a.path}: ${a.before} -> ${a.after}${force}`;
}

function groupBy<T, K>(items: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const t of items) {
    const k = key(t);
    const list = m.get(k);
    if (list) list.push(t);
    else m.set(k, [t]);
  }
  return m;
}

function findingHead(f: SecurityFinding): string {
  const label = f.severity === 'broadens' ? (f.high ? 'BROADENS (high impact)' : 'BROADENS') : f.severity === 'changes' ? 'CHANGES' : 'narrows';
  return `${label} ${f.category === 'iam' ? 'IAM' : 'security group'}: ${f.address}`;
}

/** A drift finding's head: the finding's, then what this plan does about it. */
function driftFindingHead(f: DriftSecurityFinding): string {
  return `${findingHead(f)} (${DRIFT_FATE[f.classification]})`;
}

// -------------------------------------------------------------------------------------------- text

const ANSI = { red: '\x1b[31m', green: '\x1b[32m', yellow: '\x1b[33m', magenta: '\x1b[35m', cyan: '\x1b[36m', bold: '\x1b[1m', dim: '\x1b[2m', reset: '\x1b[0m' };
type Colour = keyof typeof ANSI;
const KIND_COLOUR: Partial<Record<ChangeKind, Colour>> = { delete: 'red', replace: 'magenta', update: 'yellow', create: 'green', read: 'cyan', import: 'cyan', move: 'cyan' };

/** Colour only on a terminal and never when NO_COLOR is set (https://no-color.org). */
export function useColour(isTty: boolean, env: NodeJS.ProcessEnv): boolean {
  return isTty && !env.NO_COLOR;
}

/** `<address>[ (deposed object K)] <is destroyed|is replaced> (<type>), allowed by <origin>[: <reason>]`. */
function allowedLine(a: AllowedChange): string {
  const deposed = a.deposed ? ` (deposed object ${a.deposed})` : '';
  return `${a.address}${deposed} ${a.kind === 'delete' ? 'is destroyed' : 'is replaced'} (${a.type}), allowed by ${a.origin}${a.reason ? `: ${a.reason}` : ''}`;
}

export function renderText(review: PlanReview, options: { colour?: boolean } = {}): string {
  const c = (colour: Colour, text: string) => (options.colour ? `${ANSI[colour]}${text}${ANSI.reset}` : text);
  const lines: string[] = [];
  const version = review.terraformVersion ? `Terraform ${review.terraformVersion}, ` : '';
  lines.push(c('bold', `Plan review (${version}plan format ${review.formatVersion}${review.refreshOnly ? ', refresh-only' : ''})`));
  lines.push(`Plan: ${summaryLine(review)}`);
  if (!review.refreshOnly) lines.push(c('dim', `(Terraform's own count: ${terraformCountLine(review)})`));
  if (review.blocked.length > 0) {
    lines.push('', c('red', c('bold', `BLOCKED: ${review.blocked.length} stateful resource(s) destroyed or replaced (exit 3)`)));
    for (const b of review.blocked) lines.push(`  ${c('red', 'x')} ${b.message}`);
  }
  if (review.allowed.length > 0) {
    lines.push('', c('bold', `ALLOWED: ${review.allowed.length} stateful resource(s) destroyed or replaced on purpose`));
    for (const a of review.allowed) lines.push(`  ${c('yellow', '!')} ${allowedLine(a)}`);
  }
  if (review.warnings.length > 0) {
    lines.push('', c('yellow', c('bold', 'WARNINGS')));
    for (const w of review.warnings) lines.push(`  ${c('yellow', '!')} ${w}`);
  }
  if (review.driftSecurity.length > 0) {
    lines.push('', c('bold', DRIFT_SECURITY_TITLE));
    for (const f of review.driftSecurity) {
      lines.push(`  ${f.severity === 'broadens' ? c('red', driftFindingHead(f)) : driftFindingHead(f)}`);
      for (const d of f.details) lines.push(`      ${d}`);
    }
  }
  if (review.security.length > 0) {
    lines.push('', c('bold', 'IAM and security-group changes (broadening first)'));
    for (const f of review.security) {
      lines.push(`  ${f.severity === 'broadens' ? c('red', findingHead(f)) : findingHead(f)}`);
      for (const d of f.details) lines.push(`      ${d}`);
    }
  }
  for (const [kind, list] of groupBy(review.resources, (r) => r.kind)) {
    if (kind === 'no-op') continue;
    const colour = KIND_COLOUR[kind];
    lines.push('', c('bold', `${KIND_TITLE[kind]} (${list.length})`));
    for (const r of list) {
      const head = `${KIND_SYMBOL[kind]} ${r.address}`;
      lines.push(`  ${colour ? c(colour, head) : head}${resourceNote(r)}`);
      for (const a of r.attributes) lines.push(`      ${attributeLine(a)}`);
    }
  }
  if (review.drift.length > 0) {
    lines.push('', c('bold', `Changed outside Terraform (${review.drift.length})`));
    const byClass = groupBy(review.drift, (d) => d.classification);
    for (const cls of DRIFT_ORDER) {
      const list = byClass.get(cls);
      if (!list) continue;
      lines.push(`  ${DRIFT_TITLE[cls]} (${list.length})`);
      for (const d of list) {
        lines.push(`    ${d.address}${d.addressReconstructed ? ' (address rebuilt)' : ''}: ${d.reason}`);
        if (cls !== 'noise') for (const a of d.attributes) lines.push(`        ${attributeLine(a)}`);
      }
    }
  }
  if (review.outputs.length > 0) {
    lines.push('', c('bold', `Outputs (${review.outputs.length})`));
    for (const o of review.outputs) lines.push(`  ${outputLine(o)}`);
  }
  return lines.join('\n') + '\n';
}

function outputLine(o: PlanReview['outputs'][number]): string {
  if (o.action === 'create') return `+ ${o.name} = ${o.after}`;
  if (o.action === 'delete') return `- ${o.name} = ${o.before}`;
  return `~ ${o.name}: ${o.before} -> ${o.after}`;
}

// ---------------------------------------------------------------------------------------- markdown

/**
 * Text for a Markdown comment, shown literally: HTML's `& < >` and the characters Markdown reads as
 * markup (`*`, backquotes, `~`, `[`, `]`, backslash, and `_` where it is not inside a word, which
 * CommonMark leaves alone) become character references. GitHub decodes those both in Markdown text
 * and inside HTML such as `<summary>`, so `s3:*Object on arn:aws:s3:::b/*` keeps both stars instead
 * of turning italic.
 */
function html(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*`~[\]\\]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function code(text: string): string {
  const ticks = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(ticks + 1);
  return ticks > 0 ? `${fence} ${text} ${fence}` : `${fence}${text}${fence}`;
}

function diffBlock(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  const ticks = Math.max(2, ...lines.flatMap((l) => (l.match(/`+/g) ?? []).map((m) => m.length)));
  const fence = '`'.repeat(ticks + 1);
  return `\n${fence}diff\n${lines.join('\n')}\n${fence}\n`;
}

/** Appends blocks while they fit; counts what did not. */
class Budget {
  private parts: string[] = [];
  private used = 0;
  omitted = 0;
  constructor(private readonly limit: number) {}
  /** Adds `text` if `text` plus `reserve` still fits; returns false (and counts it) otherwise. */
  add(text: string, reserve: number): boolean {
    if (this.omitted > 0 || this.used + text.length + reserve > this.limit) {
      this.omitted += 1;
      return false;
    }
    this.parts.push(text);
    this.used += text.length;
    return true;
  }
  force(text: string): void {
    this.parts.push(text);
    this.used += text.length;
  }
  toString(): string {
    return this.parts.join('');
  }
}

export interface MarkdownOptions {
  /** @default GITHUB_COMMENT_LIMIT */
  readonly maxChars?: number;
  /** A heading, e.g. the stack name. @default 'Terraform plan review' */
  readonly title?: string;
}

/** Characters kept free for closing tags and the truncation notice. */
const MARKDOWN_RESERVE = 700;

/**
 * Markdown for a pull-request comment: the verdict, blocked changes, warnings and security
 * findings open; every other group collapsed. Never longer than `maxChars`: when it would be,
 * whole items are left out from the end and the comment says so.
 */
export function renderMarkdown(review: PlanReview, options: MarkdownOptions = {}): string {
  const limit = options.maxChars ?? GITHUB_COMMENT_LIMIT;
  const out = new Budget(limit);
  const verdict =
    review.status === 'blocked' ? ':no_entry: **Blocked**' : review.status === 'errored' ? ':x: **Plan errored**' : review.status === 'changes' ? ':pencil2: **Changes**' : ':white_check_mark: **No changes**';
  const version = review.terraformVersion ? `Terraform ${review.terraformVersion}, ` : '';
  out.force(`### ${html(options.title ?? 'Terraform plan review')}\n\n${verdict}: ${html(summaryLine(review))}  \n<sub>${version}plan format ${html(review.formatVersion)}${review.refreshOnly ? ', refresh-only' : ` · Terraform's own count: ${html(terraformCountLine(review))}`}</sub>\n`);
  const head = (text: string) => out.add(text, MARKDOWN_RESERVE);
  if (review.blocked.length > 0) {
    head(`\n#### :no_entry: Blocked: stateful resources destroyed or replaced\n\n`);
    for (const b of review.blocked) head(`- ${code(b.address)}: ${html(b.message.slice(b.address.length).trim())}\n`);
  }
  if (review.allowed.length > 0) {
    head(`\n#### :unlock: Allowed: stateful resources destroyed or replaced on purpose\n\n`);
    for (const a of review.allowed) head(`- ${code(a.address)}: ${html(allowedLine(a).slice(a.address.length).trim())}\n`);
  }
  if (review.warnings.length > 0) {
    head(`\n#### :warning: Warnings\n\n`);
    for (const w of review.warnings) head(`- ${html(w)}\n`);
  }
  if (review.driftSecurity.length > 0) {
    head(`\n#### :rotating_light: ${html(DRIFT_SECURITY_TITLE)}\n\n`);
    for (const f of review.driftSecurity) {
      head(`- **${html(findingHead(f).replace(`: ${f.address}`, ''))}** ${code(f.address)} (${html(DRIFT_FATE[f.classification])})\n${f.details.map((d) => `  - ${html(d)}\n`).join('')}`);
    }
  }
  if (review.security.length > 0) {
    head(`\n#### :lock: IAM and security-group changes (broadening first)\n\n`);
    for (const f of review.security) head(`- **${html(findingHead(f).replace(`: ${f.address}`, ''))}** ${code(f.address)}\n${f.details.map((d) => `  - ${html(d)}\n`).join('')}`);
  }
  const section = (title: string, items: readonly string[]) => {
    if (items.length === 0) return;
    const close = '\n</details>\n';
    if (!out.add(`\n<details><summary>${html(title)}</summary>\n\n`, MARKDOWN_RESERVE + close.length)) {
      out.omitted += items.length - 1;
      return;
    }
    for (const item of items) out.add(item, MARKDOWN_RESERVE + close.length);
    out.force(close);
  };
  for (const [kind, list] of groupBy(review.resources, (r) => r.kind)) {
    if (kind === 'no-op') continue;
    section(
      `${KIND_TITLE[kind]} (${list.length})`,
      // The symbol in a code span: a bare `-` or `+` after the bullet would start a nested list on GitHub.
      list.map((r) => `- ${code(KIND_SYMBOL[kind])} ${code(r.address)}${html(resourceNote(r))}\n${diffBlock(r.attributes.map(attributeLine))}`),
    );
  }
  if (review.drift.length > 0) {
    const byClass = groupBy(review.drift, (d) => d.classification);
    for (const cls of DRIFT_ORDER) {
      const list = byClass.get(cls);
      if (!list) continue;
      section(
        `Changed outside Terraform: ${DRIFT_TITLE[cls]} (${list.length})`,
        list.map((d: DriftReview) => `- ${code(d.address)}${d.addressReconstructed ? ' (address rebuilt)' : ''}: ${html(d.reason)}\n${cls === 'noise' ? '' : diffBlock(d.attributes.map(attributeLine))}`),
      );
    }
  }
  section(`Outputs (${review.outputs.length})`, review.outputs.map((o) => `- ${code(outputLine(o))}\n`));
  if (out.omitted > 0) {
    out.force(
      `\n> [!WARNING]\n> **Truncated:** ${out.omitted} more item(s) are not shown because a GitHub comment is limited to ${limit.toLocaleString('en-US')} characters. ` +
        'For the full review run `npm run plan -- <stack>` locally, or `node bin/mlflow-infra.js review-plan <plan.json> --format text` on the plan JSON.\n',
    );
  }
  return out.toString();
}

// -------------------------------------------------------------------------------------------- json

/** Version of the JSON schema below; bumped on any incompatible change. */
export const JSON_SCHEMA = 'mlflow-infra/plan-review@1';

const attr = (a: AttributeChange) => ({ path: a.path, before: a.before ?? null, after: a.after ?? null, forcesReplacement: a.forcesReplacement });

const resourceJson = (r: ResourceReview) => ({
  address: r.address,
  previousAddress: r.previousAddress ?? null,
  type: r.type,
  mode: r.mode,
  kind: r.kind,
  actions: r.actions,
  actionReason: r.actionReason ?? null,
  deposed: r.deposed ?? null,
  imported: r.imported,
  importId: r.importId ?? null,
  stateful: r.stateful,
  replacePaths: r.replacePaths,
  attributes: r.attributes.map(attr),
});

const driftJson = (d: DriftReview) => ({
  address: d.address,
  addressReconstructed: d.addressReconstructed,
  type: d.type,
  action: d.action,
  classification: d.classification,
  reason: d.reason,
  stateful: d.stateful,
  attributes: d.attributes.map(attr),
});

/** A list of the JSON form not converted yet: {@link renderJsonChunks} converts one element at a time. */
class LazyList<T> {
  constructor(
    readonly items: readonly T[],
    readonly convert: (item: T) => object,
  ) {}
}

/** The JSON form with its two long lists as `list(items, convert)` makes them. */
function jsonForm(review: PlanReview, list: <T>(items: readonly T[], convert: (item: T) => object) => unknown): Record<string, unknown> {
  return {
    schema: JSON_SCHEMA,
    status: review.status,
    exitCode: review.exitCode,
    terraformVersion: review.terraformVersion ?? null,
    formatVersion: review.formatVersion,
    refreshOnly: review.refreshOnly,
    errored: review.errored,
    summary: review.summary,
    terraformCount: review.terraformCount,
    blocked: review.blocked,
    allowed: review.allowed.map((a) => ({ address: a.address, type: a.type, kind: a.kind, deposed: a.deposed ?? null, origin: a.origin, reason: a.reason ?? null })),
    warnings: review.warnings,
    driftSecurity: review.driftSecurity,
    security: review.security,
    resources: list(review.resources, resourceJson),
    drift: list(review.drift, driftJson),
    outputs: review.outputs.map((o) => ({ name: o.name, action: o.action, before: o.before ?? null, after: o.after ?? null })),
  };
}

/** The stable machine-readable form (documented in docs/plan-review.md); absent values are `null`. */
export function toJson(review: PlanReview): object {
  return jsonForm(review, (items, convert) => items.map(convert));
}

export function renderJson(review: PlanReview): string {
  return JSON.stringify(toJson(review), null, 2) + '\n';
}

/**
 * {@link renderJson}'s text in pieces, the same bytes joined: the top-level members one by one and
 * the lists element by element (each converted only then), so the text is never whole in memory.
 */
export function* renderJsonChunks(review: PlanReview): Generator<string> {
  const doc = jsonForm(review, (items, convert) => new LazyList(items, convert));
  // JSON.stringify(value, null, 2) at `depth` levels in: its line breaks indented that much more.
  const at = (value: unknown, depth: number) => (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${'  '.repeat(depth)}`);
  let first = true;
  for (const [key, value] of Object.entries(doc)) {
    if (value === undefined) continue;
    yield `${first ? '{' : ','}\n  ${JSON.stringify(key)}: `;
    first = false;
    const lazy = value instanceof LazyList ? (value as LazyList<unknown>) : undefined;
    const items: readonly unknown[] | undefined = lazy ? lazy.items : Array.isArray(value) ? value : undefined;
    if (items === undefined || items.length === 0) {
      yield items === undefined ? at(value, 1) : '[]';
      continue;
    }
    for (let i = 0; i < items.length; i++) yield `${i === 0 ? '[' : ','}\n    ${at(lazy ? lazy.convert(items[i]) : items[i], 2)}`;
    yield '\n  ]';
  }
  yield first ? '{}\n' : '\n}\n';
}

export function render(review: PlanReview, format: Format, options: { colour?: boolean; title?: string; maxChars?: number } = {}): string {
  if (format === 'json') return renderJson(review);
  if (format === 'markdown') return renderMarkdown(review, options);
  return renderText(review, options);
}
