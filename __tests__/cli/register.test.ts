/**
 * scripts/register.js, the require hook of the synth entry and the CLI: its V8 code cache must never
 * run stale code, and the packages it defers (archiver, semver: loaded by cdktf's index, unused by
 * synth) must stay out of the process until used and then behave as themselves. Run in child
 * processes: jest workers load code their own way and the hook leaves them alone.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';

const root = path.resolve(__dirname, '../..');

function nodeWith(code: string, env: NodeJS.ProcessEnv = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', './scripts/register.js', '-e', code], { cwd: root, env: withoutJestId(env), encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The hook leaves jest workers alone, so the children must not look like one. */
function withoutJestId(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...process.env, ...env };
  delete out.JEST_WORKER_ID;
  return out;
}

function run(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ['-r', './scripts/register.js', ...args], { cwd: root, env: withoutJestId(env), encoding: 'utf8' });
}

describe('V8 code cache', () => {
  /** Node 20 has no sleep: long enough for files to be older than the cache's settle time (2 s). */
  function settle(): void {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2100);
  }
  const entries = (cache: string) => (fs.existsSync(cache) ? fs.readdirSync(cache).filter((f) => f.endsWith('.js.bin')).sort() : []);

  test('is written on the first run and used on the next; an edited module (same length) runs its new code, and is cached only once settled', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-codecache-'));
    const cache = path.join(dir, 'cache');
    const mod = path.join(dir, 'answer.js');
    const script = path.join(dir, 'main.js');
    let writtenAt = Date.now();
    fs.writeFileSync(script, `process.stdout.write(String(require(${JSON.stringify(mod)})()));\n`);
    fs.writeFileSync(mod, 'module.exports = () => 1;\n');
    // Just written: not cached (two writes of the same size within one timestamp tick would look
    // alike). Checked when the run was quick enough to be within the 2 s (a very busy machine is not).
    expect(run([script], { MLFLOW_INFRA_CODE_CACHE_DIR: cache }).stdout).toBe('1');
    if (Date.now() - writtenAt < 1900) expect(entries(cache)).toEqual([]);
    settle();
    expect(run([script], { MLFLOW_INFRA_CODE_CACHE_DIR: cache }).stdout).toBe('1');
    const written = entries(cache);
    expect(written).toHaveLength(2); // main.js and answer.js
    // An entry holds the source without its inline source map, then V8's code.
    const stored = written.map((f) => fs.readFileSync(path.join(cache, f)));
    expect(stored.map((b) => b.toString('utf8', 4, 4 + b.readUInt32LE(0))).sort()).toEqual([fs.readFileSync(mod, 'utf8'), fs.readFileSync(script, 'utf8')].sort());
    expect(run([script], { MLFLOW_INFRA_CODE_CACHE_DIR: cache }).stdout).toBe('1');
    expect(entries(cache)).toEqual(written); // nothing recompiled
    writtenAt = Date.now();
    fs.writeFileSync(mod, 'module.exports = () => 2;\n');
    expect(run([script], { MLFLOW_INFRA_CODE_CACHE_DIR: cache }).stdout).toBe('2');
    if (Date.now() - writtenAt < 1900) expect(entries(cache)).toEqual(written); // just edited: run, not cached yet
    settle();
    expect(run([script], { MLFLOW_INFRA_CODE_CACHE_DIR: cache }).stdout).toBe('2');
    expect(entries(cache)).toHaveLength(3);
    expect(run([script], { MLFLOW_INFRA_CODE_CACHE_DIR: cache }).stdout).toBe('2');
    // Code cached under other V8 flags is kept apart (V8 would reject it, and each would rewrite the other's).
    const r = spawnSync(process.execPath, ['--no-opt', '-r', './scripts/register.js', script], { cwd: root, env: withoutJestId({ MLFLOW_INFRA_CODE_CACHE_DIR: cache }), encoding: 'utf8' });
    expect(r.stdout).toBe('2');
    expect(entries(cache)).toHaveLength(5);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('modules see the usual require, module, exports, __filename and __dirname', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-codecache-'));
    const mod = path.join(dir, 'probe.js');
    fs.writeFileSync(path.join(dir, 'peer.json'), '{"peer":true}');
    fs.writeFileSync(
      mod,
      'module.exports = { file: __filename, dir: __dirname, same: module.exports === exports, peer: require("./peer.json").peer, resolved: require.resolve("./peer.json"), main: require.main === process.mainModule, cacheIsCache: require.cache === require("module")._cache };\n',
    );
    const r = run(['-e', `process.stdout.write(JSON.stringify(require(${JSON.stringify(mod)})))`], { MLFLOW_INFRA_CODE_CACHE_DIR: path.join(dir, 'cache') });
    expect(JSON.parse(r.stdout)).toEqual({ file: mod, dir, same: true, peer: true, resolved: path.join(dir, 'peer.json'), main: true, cacheIsCache: true });
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('resolution cache', () => {
  test("remembers where packages were found until npm changes node_modules, and resolves again an entry whose file is gone", () => {
    // A project of its own (the cache is keyed on the node_modules/.package-lock.json next to the hook).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-resolve-'));
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(root, 'scripts', 'register.js'), path.join(dir, 'scripts', 'register.js'));
    const pkg = path.join(dir, 'node_modules', 'pkg');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{"lockfileVersion":3}\n');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"main":"one.js"}');
    fs.writeFileSync(path.join(pkg, 'one.js'), 'module.exports = "one";');
    fs.writeFileSync(path.join(pkg, 'two.js'), 'module.exports = "two";');
    fs.writeFileSync(path.join(dir, 'main.js'), 'process.stdout.write(require("pkg"));');
    const cache = path.join(dir, 'cache');
    const main = () => spawnSync(process.execPath, ['-r', './scripts/register.js', 'main.js'], { cwd: dir, env: withoutJestId({ MLFLOW_INFRA_CODE_CACHE_DIR: cache }), encoding: 'utf8' });
    expect(main().stdout).toBe('one');
    const saved = JSON.parse(fs.readFileSync(path.join(cache, 'resolved.json'), 'utf8'));
    expect(saved.resolved[`${dir}\0pkg`]).toBe(path.join(pkg, 'one.js'));
    // Edited by hand behind npm's back: the cache still answers what npm installed...
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"main":"two.js"}');
    expect(main().stdout).toBe('one');
    // ...until npm writes node_modules again, or the file it found is gone.
    fs.writeFileSync(path.join(dir, 'node_modules', '.package-lock.json'), '{"lockfileVersion":3,"packages":{}}\n');
    expect(main().stdout).toBe('two');
    fs.writeFileSync(path.join(pkg, 'package.json'), '{"main":"one.js"}');
    fs.rmSync(path.join(pkg, 'two.js'));
    expect(main().stdout).toBe('one');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('deferred packages', () => {
  test("cdktf loads without archiver's and semver's modules, which load and work when used", () => {
    const code = `
      const cdktf = require('cdktf');
      const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(lodash|readable-stream|semver\\/(functions|classes))\\//.test(f)).length;
      const before = loaded();
      const archiver = require(require.resolve('archiver', { paths: [require('path').dirname(require.resolve('cdktf/package.json'))] }));
      const semver = require(require.resolve('semver', { paths: [require('path').dirname(require.resolve('cdktf/package.json'))] }));
      const ok = semver.satisfies('1.11.4', '>=1.5') && !semver.satisfies('1.4.0', '>=1.5');
      const zip = archiver('zip');
      process.stdout.write(JSON.stringify({ before, after: loaded() > 0, ok, zip: typeof zip.pipe, app: typeof cdktf.App }));
    `;
    const r = nodeWith(code);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: 0, after: true, ok: true, zip: 'function', app: 'function' });
    const off = nodeWith(code.replace('const before = loaded();', 'const before = loaded() > 0 ? 0 : -1;'), { MLFLOW_INFRA_NO_DEFER: '1' });
    expect(JSON.parse(off.stdout).before).toBe(0); // without deferring they are there from the start
  });

  test("zod loads without its translations of error messages (z.locales), which load and work when used", () => {
    const code = `
      const z = require('zod');
      const locales = () => Object.keys(require.cache).filter((f) => /node_modules\\/zod\\/v4\\/locales\\/(?!en\\.cjs|index\\.cjs)/.test(f)).length;
      const before = locales();
      let english;
      try { z.string().parse(1); } catch (e) { english = e.issues[0].message; }
      const esModule = z.locales.__esModule;
      z.config(z.locales.de());
      let german;
      try { z.string().parse(1); } catch (e) { german = e.issues[0].message; }
      process.stdout.write(JSON.stringify({ before, after: locales() > 40, english, german, esModule }));
    `;
    const r = nodeWith(code);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ before: 0, after: true, english: 'Invalid input: expected string, received number', german: expect.stringMatching(/^Ungültige Eingabe/), esModule: true });
  });
});
