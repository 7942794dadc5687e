/**
 * The README's quick start is what a new user runs first: two commands, one install, and only npm
 * scripts that exist.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;

function quickStart(): string[] {
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(/\s+#.*$/, '').trim());
}

test('the quick start is two commands that install once', () => {
  const commands = quickStart();
  expect(commands).toHaveLength(2);
  expect(commands.join(' && ').match(/npm ci\b/g)).toHaveLength(1);
  expect(commands[0].startsWith('npm ci')).toBe(true);
});

test('every `npm run <script>` and `npm test` the README names exists', () => {
  const named = [...readme.matchAll(/npm run (?:-s )?([a-z][\w:-]*)/g)].map((m) => m[1]);
  expect(named.length).toBeGreaterThan(5);
  for (const name of new Set(named)) expect({ name, defined: name in scripts }).toEqual({ name, defined: true });
  expect(scripts.test).toBeDefined();
});

test('the cdktf CLI wrapper disables the checkpoint call', () => {
  expect(scripts.cdktf).toMatch(/^CHECKPOINT_DISABLE=1 cdktf$/);
});
