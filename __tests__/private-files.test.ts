import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensurePrivateDir, makePrivate, withPrivateUmask, writePrivateFile } from '../src/private-files';
import { cli, LEGACY_STATE, PRODUCTION_OVERRIDES } from './migration/helpers';

const PRODUCTION_STACK = path.resolve(__dirname, '../cdktf.out/stacks/mlflow-production/cdk.tf.json');
const mode = (f: string) => fs.statSync(f).mode & 0o777;

function withUmask<T>(umask: number, fn: () => Promise<T>): Promise<T> {
  const old = process.umask(umask);
  return fn().finally(() => process.umask(old));
}

describe('private files (0600 in 0700 directories, whatever the umask)', () => {
  test('writePrivateFile: 0600, missing directories 0700, atomic (no temporary file left), existing directories untouched', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'private-'));
    fs.chmodSync(root, 0o755);
    await withUmask(0o000, async () => {
      writePrivateFile(path.join(root, 'a/b/state.json'), '{"secret":1}\n');
      writePrivateFile(path.join(root, 'a/b/state.json'), '{"secret":2}\n');
    });
    expect(mode(path.join(root, 'a/b/state.json'))).toBe(0o600);
    expect(mode(path.join(root, 'a'))).toBe(0o700);
    expect(mode(path.join(root, 'a/b'))).toBe(0o700);
    expect(mode(root)).toBe(0o755);
    expect(fs.readFileSync(path.join(root, 'a/b/state.json'), 'utf8')).toBe('{"secret":2}\n');
    expect(fs.readdirSync(path.join(root, 'a/b'))).toEqual(['state.json']);
    ensurePrivateDir(path.join(root, 'a/b'));
  });

  test('makePrivate takes group/other bits away (a read-only copy stays read-only); withPrivateUmask restores the umask', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'private-'));
    const [rw, ro] = [path.join(root, 'x.backup'), path.join(root, 'y.backup')];
    fs.writeFileSync(rw, 'x', { mode: 0o644 });
    fs.chmodSync(rw, 0o644);
    fs.writeFileSync(ro, 'y');
    fs.chmodSync(ro, 0o444);
    expect(makePrivate([rw, ro, path.join(root, 'missing')])).toEqual([rw, ro]);
    expect([mode(rw), mode(ro)]).toEqual([0o600, 0o400]);
    const before = process.umask();
    expect(withPrivateUmask(() => process.umask())).toBe(0o077);
    expect(process.umask()).toBe(before);
  });

  test('migrate simulate --out: the resulting state is 0600 in a new 0700 directory under umask 022', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'private-'));
    await withUmask(0o022, async () => {
      expect((await cli(['migrate', 'plan', '--state', LEGACY_STATE, '--stack', PRODUCTION_STACK, '--overrides', PRODUCTION_OVERRIDES, '--out', 'moves.json', '--no-terraform'], dir)).code).toBe(0);
      expect((await cli(['migrate', 'simulate', '--plan', 'moves.json', '--state', LEGACY_STATE, '--out', 'out/result.tfstate'], dir)).code).toBe(0);
    });
    expect(mode(path.join(dir, 'out/result.tfstate'))).toBe(0o600);
    expect(mode(path.join(dir, 'out'))).toBe(0o700);
    expect(mode(path.join(dir, 'moves.json'))).toBe(0o600);
  });
});
