/**
 * AWS App Runner is closed to new customers since 2026-04-30: the README, the operations doc and
 * the App Runner stack's own config say so, and say whom the App Runner stack is for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const read = (rel: string) => fs.readFileSync(path.join(ROOT, rel), 'utf8').replace(/\s+/g, ' ');

test.each(['README.md', 'docs/operations.md', 'src/config/environments/apprunner-staging.ts'])('%s: closed to new customers since 2026-04-30, for accounts that already use App Runner', (file) => {
  const text = read(file).replace(/ \* /g, ' ');
  expect(text).toContain('App Runner is closed to new customers since 2026-04-30');
  expect(text).toContain('accounts that already use App Runner');
  expect(text).toContain('ECS Express Mode, which needs AWS provider 6');
});
