/**
 * docs/first-deploy.md: every `mlflow-infra` command it shows names a real command, real options
 * and a real stack; every npm script and build-push option it uses exists. (The plan -> review ->
 * apply loop itself runs with real terraform in __tests__/plan-review/apply.terraform.test.ts.)
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commands } from '../../src/cli/commands';
import { environments } from '../../src/config/environments';

const root = path.resolve(__dirname, '../..');
const guide = fs.readFileSync(path.join(root, 'docs/first-deploy.md'), 'utf8');
const shellLines = [...guide.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split('\n')).map((l) => l.replace(/\s+#.*$/, '').trim());
const words = (line: string) => line.split(/\s+/).filter((w) => !/^[A-Z_]+=/.test(w));

test('every mlflow-infra command in the guide exists, with options it takes and a shipped stack', () => {
  const lines = shellLines.filter((l) => / ?node bin\/mlflow-infra\.js /.test(l));
  expect(lines.length).toBeGreaterThanOrEqual(6);
  for (const line of lines) {
    const argv = words(line.slice(line.indexOf('node bin/mlflow-infra.js ') + 'node bin/mlflow-infra.js '.length));
    const command = commands.filter((c) => c.path.every((w, i) => argv[i] === w)).sort((a, b) => b.path.length - a.path.length)[0];
    expect({ line, found: command !== undefined }).toEqual({ line, found: true });
    for (const flag of argv.filter((a) => a.startsWith('--'))) expect({ line, flag, documented: command.usage.includes(flag) }).toEqual({ line, flag, documented: true });
    const stack = argv[command.path.length];
    if (command.path[0] === 'plan' || command.path[0] === 'apply') expect(environments.map((e) => e.stackName)).toContain(stack);
  }
});

test('the apply commands name the plan that plan saves', () => {
  for (const line of shellLines.filter((l) => l.startsWith('node bin/mlflow-infra.js apply '))) {
    const [, stack] = words(line.slice('node bin/mlflow-infra.js '.length));
    expect(line).toContain(`--plan cdktf.out/stacks/${stack}/tfplan`);
  }
});

test('npm scripts and build-push options the guide uses exist', () => {
  const scripts = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
  for (const m of guide.matchAll(/npm run ([a-z][\w:-]*)/g)) expect(scripts).toHaveProperty(m[1]);
  const help = spawnSync('bash', [path.join(root, 'docker/build-push'), '--help'], { encoding: 'utf8' }).stdout;
  for (const line of shellLines.filter((l) => l.startsWith('docker/build-push'))) {
    for (const flag of words(line).filter((w) => w.startsWith('--'))) expect(help).toContain(flag);
  }
});
