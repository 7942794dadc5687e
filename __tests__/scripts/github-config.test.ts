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

test('Dependabot updates npm and GitHub Actions, weekly', () => {
  const config = yaml('.github/dependabot.yml');
  expect(config.version).toBe(2);
  const updates = config.updates as { 'package-ecosystem': string; directory: string; schedule: { interval: string } }[];
  expect(updates.map((u) => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm']);
  for (const u of updates) expect(u).toMatchObject({ directory: '/', schedule: { interval: 'weekly' } });
});

test('every actions/checkout step sets persist-credentials: false', () => {
  const workflow = yaml('.github/workflows/mlflow-infra.yml');
  const checkouts = Object.values(workflow.jobs as Record<string, { steps: { uses?: string; with?: Record<string, unknown> }[] }>)
    .flatMap((job) => job.steps)
    .filter((s) => (s.uses ?? '').startsWith('actions/checkout@'));
  expect(checkouts.length).toBeGreaterThanOrEqual(2);
  for (const step of checkouts) expect(step.with?.['persist-credentials']).toBe(false);
});

test('every action is pinned to a full commit SHA, with its release in a comment (Dependabot updates both)', () => {
  const text = fs.readFileSync(path.join(root, '.github/workflows/mlflow-infra.yml'), 'utf8');
  const uses = [...text.matchAll(/^\s*-?\s*uses:\s*(\S+)(.*)$/gm)].map((m) => ({ ref: m[1], comment: m[2].trim() }));
  expect(uses.length).toBeGreaterThanOrEqual(4);
  for (const u of uses) expect({ ref: u.ref, pinned: /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/.test(u.ref), comment: /^# v\d+\.\d+\.\d+$/.test(u.comment) }).toEqual({ ref: u.ref, pinned: true, comment: true });
  // The parsed workflow sees the same references (the comment is not part of the value).
  const workflow = yaml('.github/workflows/mlflow-infra.yml');
  const parsed = Object.values(workflow.jobs as Record<string, { steps: { uses?: string }[] }>).flatMap((job) => job.steps).flatMap((s) => (s.uses ? [s.uses] : []));
  expect(parsed.sort()).toEqual(uses.map((u) => u.ref).sort());
});
