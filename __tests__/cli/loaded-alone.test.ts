/**
 * `review-plan` runs without loading the command registry (src/cli/main.ts, LOADED_ALONE): its peak
 * memory is held under twice the plan's size (bench/review-plan/run), and the other commands'
 * modules (terraform runners, migration, cdktf-facing config) would be a tenth of it on a 50 MiB plan.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

/** The project modules a CLI invocation loads (paths relative to the repository). */
function loadedBy(argv: string[]): { status: number | null; modules: string[] } {
  const script = `
    const { main } = require('./src/cli/main');
    const io = { ...require('./src/cli/command').processIo(), stdout() {}, stderr() {} };
    main(${JSON.stringify(argv)}, io).then((code) => {
      const mine = Object.keys(require.cache).filter((f) => !f.includes('node_modules')).map((f) => require('path').relative(${JSON.stringify(root)}, f));
      process.stdout.write(JSON.stringify({ code, mine }));
    });`;
  const r = spawnSync(process.execPath, ['-r', './scripts/register', '-e', script], { cwd: root, encoding: 'utf8' });
  const out = JSON.parse(r.stdout) as { code: number; mine: string[] };
  return { status: out.code, modules: out.mine };
}

test('review-plan loads its own modules only, not the registry or other commands', () => {
  const plan = path.join(root, '__tests__', 'plan-review', 'fixtures', 'synthetic_import_drift_sensitive_tf1.11.json');
  const { status, modules } = loadedBy(['review-plan', plan, '--format', 'json']);
  expect(status).toBe(3); // a stateful destroy in this fixture: the review ran
  expect(modules).toContain(path.join('src', 'plan-review', 'stream.ts'));
  for (const other of ['commands/index.ts', 'commands/plan.ts', 'commands/migrate.ts', 'commands/apply.ts', 'commands/db.ts']) {
    expect(modules).not.toContain(path.join('src', 'cli', other));
  }
  expect(modules.filter((m) => m.startsWith(path.join('src', 'migration')))).toEqual([]);
});

test('any other command loads the registry, as before', () => {
  const { status, modules } = loadedBy(['--help']);
  expect(status).toBe(0);
  expect(modules).toContain(path.join('src', 'cli', 'commands', 'index.ts'));
});
