/**
 * Repository automation: Dependabot keeps npm packages and GitHub Actions current; no checkout in
 * the workflow leaves the job's token in .git/config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYamlSubset } from '../plan-review/yaml-subset';

const root = path.resolve(__dirname, '../..');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const yaml = (file: string): any => parseYamlSubset(fs.readFileSync(path.join(root, file), 'utf8'));
/** Every step of the workflow, once: the plan jobs share one step list (a YAML alias). */
const workflowSteps = (): { uses?: string; with?: Record<string, unknown> }[] =>
  [...new Set(Object.values(yaml('.github/workflows/mlflow-infra.yml').jobs as Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>).map((job) => job.steps))].flat();

test('Dependabot updates npm and GitHub Actions, weekly', () => {
  const config = yaml('.github/dependabot.yml');
  expect(config.version).toBe(2);
  const updates = config.updates as { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[];
  expect(updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  for (const u of updates) expect(u).toMatchObject({ directory: '/', schedule: { interval: 'weekly' } });
});

test('every actions/checkout step sets persist-credentials: false', () => {
  const checkouts = workflowSteps().filter((s) => (s.uses ?? '').startsWith('actions/checkout@'));
  expect(checkouts.length).toBeGreaterThanOrEqual(3); // check, the plan jobs' shared steps, apply
  for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
});

test('every action is pinned to a full commit SHA, with its release in a comment (Dependabot updates both)', () => {
  const text = fs.readFileSync(path.join(root, '.github/workflows/mlflow-infra.yml'), 'utf8');
  const uses = [...text.matchAll(/^\s*-?\s*uses:\s*(\S+)(.*)$/gm)].map((m) => ({ ref: m[1], comment: m[2].trim() }));
  expect(uses.length).toBeGreaterThanOrEqual(4);
  for (const u of uses) expect({ ref: u.ref, pinned: /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(u.ref), comment: /^# v\d+\.\d+\.\d+$/.test(u.comment) }).toEqual({ ref: u.ref, pinned: true, comment: true });
  // The parsed workflow sees the same references (the comment is not part of the value).
  const parsed = workflowSteps().flatMap((s) => (s.uses ? [s.uses] : []));
  expect(parsed.sort()).toEqual(uses.map((u) => u.ref).sort());
  // One pin per action across the jobs (an update moves them all).
  const pins = new Map<string, Set<string>>();
  for (const [action, sha] of parsed.map((ref) => ref.split('@'))) pins.set(action, (pins.get(action) ?? new Set()).add(sha));
  for (const [action, shas] of pins) expect({ action, pins: shas.size }).toEqual({ action, pins: 1 });
});
