'use strict';
// Require hook that transpiles TypeScript with esbuild (no type-check: `npm run typecheck` does that).
// One mechanism for the synth entry, the CLI and jest, so that every path starts in milliseconds.
// Transpiled output is cached on disk by content hash (node_modules/.cache/mlflow-infra-ts), so a
// second run does not start esbuild at all; MLFLOW_INFRA_NO_TS_CACHE=1 turns the cache off.
// Outside jest it also keeps V8's compiled code for every CommonJS module the process loads (see
// installCodeCache; MLFLOW_INFRA_NO_CODE_CACHE=1 turns that off) and loads two packages cdktf
// requires but synth does not use only when they are used (see deferModule; MLFLOW_INFRA_NO_DEFER=1).
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const Module = require('module');
const vm = require('vm');

const cacheDir = process.env.MLFLOW_INFRA_NO_TS_CACHE === '1' ? undefined : path.join(__dirname, '..', 'node_modules', '.cache', 'mlflow-infra-ts');
let esbuild;

function compile(source, filename) {
  esbuild = esbuild || require('esbuild');
  return esbuild.transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  }).code;
}

function transpile(source, filename) {
  if (!cacheDir) return compile(source, filename);
  const key = crypto.createHash('sha1').update(filename).update('\0').update(source).digest('hex');
  const file = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    const code = compile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, code);
      fs.renameSync(tmp, file);
    } catch {
      // A read-only tree still works, just without the cache.
    }
    return code;
  }
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function registerTs(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  // Source maps are inlined but not enabled here: cdktf captures a stack trace for every token, and
  // mapping each one costs more than the whole synth. NODE_OPTIONS=--enable-source-maps turns them on.
}

/**
 * A V8 code cache for CommonJS modules (what node 22's `module.enableCompileCache()` does; this is
 * node 20). Compiling the modules a synth loads (~12 MB of JavaScript, most of it
 * @cdktf/provider-aws) was about a sixth of its CPU time. Each module is compiled with the code V8
 * produced for the same file content last time (keyed by a hash of the node version, the V8 flags,
 * the path and the exact source, so an edited or upgraded file is simply compiled again; old
 * entries are not pruned: delete the folder to reclaim them); at exit, the code of modules compiled
 * without it, including the functions that ran lazily, is written for the next run. A cache V8
 * rejects (another node version or flags) is rewritten. Only what node itself would run is run.
 */
function installCodeCache(dir) {
  const compiled = [];
  const flags = process.execArgv.filter((a) => a.startsWith('--') && !a.startsWith('--require')).join(' ');
  const originalCompile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename) {
    if (typeof content !== 'string' || !path.isAbsolute(filename)) return originalCompile.call(this, content, filename);
    if (!process.sourceMapsEnabled) content = withoutInlineSourceMap(content);
    // V8 rejects code cached under other flags (`--no-opt` for synth, none for the CLI): keyed apart.
    const key = crypto.hash('sha1', `${process.version}\0${flags}\0${filename}\0${content}`);
    const file = path.join(dir, `${key}.bin`);
    let cachedData;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) compiled.push({ script, file });
    const fn = script.runInThisContext({ displayErrors: true });
    return runModule(this, fn, filename);
  };
  /** What node's own `_compile` does with the compiled wrapper: a `require` for the module, then the call. */
  function runModule(mod, fn, filename) {
    const require = (id) => mod.require(id);
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, require, mod, filename, path.dirname(filename));
  }
  process.once('exit', () => {
    if (compiled.length === 0) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const { script, file } of compiled) {
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
      }
    } catch {
      // A read-only tree still works, just without the cache.
    }
  });
}

/**
 * The source without its trailing inline source map (`//# sourceMappingURL=data:...`, the last line),
 * which only --enable-source-maps reads: cdktf and the provider ship one in every file, 8.4 of the
 * 12.8 MB of JavaScript a synth loads, and each was hashed for the cache key and scanned by V8 on
 * every run. Line and column numbers are unchanged (it is the last line).
 */
function withoutInlineSourceMap(content) {
  const start = content.lastIndexOf('\n//# sourceMappingURL=data:');
  if (start < 0) return content;
  const end = content.indexOf('\n', start + 1);
  if (end >= 0 && end < content.length - 1) return content; // not the last line
  return content.slice(0, start + 1);
}

/**
 * Loads `name` (as `from`'s package resolves it) only when it is first used. cdktf's index loads
 * archiver (for zip assets: with lodash and readable-stream, ~200 modules) and semver (for the
 * terraform version check synth skips, 45 modules) whether or not they are used, and zod's index
 * loads its ~45 translations of error messages (`z.locales`; English, the one in use, is loaded
 * on its own); the stand-in in require's cache loads the real package on the first call or
 * property access and then behaves as it does. `kind` 'esm' answers `__esModule` (what a
 * transpiled `import * as` asks first) without loading. Returns false (nothing changed) when the
 * package is not there.
 */
function deferModule(name, from, kind) {
  let file;
  try {
    file = require.resolve(name, { paths: [path.dirname(require.resolve(`${from}/package.json`))] });
  } catch {
    return false;
  }
  if (require.cache[file]) return false;
  let real;
  const load = () => {
    if (!real) {
      delete require.cache[file];
      real = require(file);
    }
    return real;
  };
  // An arrow function has no own non-configurable `prototype`, so every trap below may answer freely.
  const target = kind === 'function' ? () => undefined : {};
  const stub = new Proxy(target, {
    apply: (_t, thisArg, callArgs) => Reflect.apply(load(), thisArg, callArgs),
    construct: (_t, callArgs) => Reflect.construct(load(), callArgs),
    get: (_t, key) => (kind === 'esm' && key === '__esModule' ? true : Reflect.get(load(), key)),
    set: (_t, key, value) => Reflect.set(load(), key, value),
    has: (_t, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(load(), key);
      return d && { ...d, configurable: true };
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(load()),
  });
  const mod = new Module(file, module);
  mod.filename = file;
  mod.loaded = true;
  mod.exports = stub;
  require.cache[file] = mod;
  return true;
}

// Not in jest workers, which require this file only for `transpile` (jest loads test code itself).
if (process.env.JEST_WORKER_ID === undefined && process.env.MLFLOW_INFRA_NO_DEFER !== '1') {
  deferModule('archiver', 'cdktf', 'function');
  deferModule('semver', 'cdktf', 'object');
  deferModule('zod/v4/locales', 'zod', 'esm');
}

if (process.env.JEST_WORKER_ID === undefined && process.env.MLFLOW_INFRA_NO_CODE_CACHE !== '1' && !Module.prototype._compile.mlflowInfraCodeCache) {
  installCodeCache(process.env.MLFLOW_INFRA_CODE_CACHE_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'mlflow-infra-v8'));
  Module.prototype._compile.mlflowInfraCodeCache = true;
}

module.exports = { transpile };
