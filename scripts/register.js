'use strict';
// Require hook that transpiles TypeScript with esbuild (no type-check: `npm run typecheck` does that).
// One mechanism for the synth entry, the CLI and jest, so that every path starts in milliseconds.
// Transpiled output is cached on disk by content hash (node_modules/.cache/mlflow-infra-ts), so a
// second run does not start esbuild at all; MLFLOW_INFRA_NO_TS_CACHE=1 turns the cache off.
// Outside jest it also keeps V8's compiled code for every CommonJS module the process loads (see
// installCodeCache) and where `require` found packages (see installResolveCache;
// MLFLOW_INFRA_NO_CODE_CACHE=1 turns both off), and defers packages that cdktf and zod load but
// synth does not use until they are used (see deferModule; MLFLOW_INFRA_NO_DEFER=1).
const { Buffer } = require('buffer');
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
 * @cdktf/provider-aws) was about a sixth of its CPU time. Each `.js`/`.cjs`/`.ts` module is looked up
 * by what `stat` says of its file (device, inode, size, modification and change times, with the
 * node version, the V8 flags and the path) instead of by hashing its content, and an entry holds
 * the source as compiled (for `.ts` the transpiled code; without the inline source map: 3.5 instead
 * of 12 MB to read for a synth) next to V8's code for it, so a hit is one stat and one read: the
 * original file is not read, not resolved to a package scope, not transpiled. Any write to a file
 * changes its change time (which, unlike the modification time npm pins to 1985, cannot be set
 * back), so an edited or reinstalled file gets a new key and is loaded the usual way (node's own
 * checks, e.g. an ES module package, included); its entry, with the code of the functions that ran,
 * is written at exit. A file changed less than SETTLE_MS before it is loaded is not cached
 * (timestamps have coarse ticks: two writes of the same size within one would look alike). A cache
 * V8 rejects (another node version or flags) is rewritten. Old entries are not pruned: delete the
 * folder to reclaim them. Off when source maps are on (the source would need its map).
 */
function installCodeCache(dir) {
  const SETTLE_MS = 2000;
  const pending = [];
  const loading = new Map(); // filename -> the entry its loader is to write (undefined: not cached)
  const flags = process.execArgv.filter((a) => a.startsWith('--') && !a.startsWith('--require')).join(' ');
  const originalCompile = Module.prototype._compile;
  Module.prototype._compile = function compileWithCache(content, filename, ...rest) {
    if (typeof content !== 'string' || !loading.has(filename)) return originalCompile.call(this, content, filename, ...rest);
    const file = loading.get(filename);
    content = withoutInlineSourceMap(content);
    const script = new vm.Script(Module.wrap(content), { filename });
    if (file) pending.push({ script, file, source: content });
    return runModule(this, script.runInThisContext({ displayErrors: true }), filename);
  };
  function withCache(load) {
    return function loadWithCache(mod, filename) {
      if (process.sourceMapsEnabled || loading.has(filename) || !path.isAbsolute(filename)) return load.call(this, mod, filename);
      let st;
      try {
        st = fs.statSync(filename);
      } catch {
        return load.call(this, mod, filename);
      }
      // V8 rejects code cached under other flags (`--no-opt` for synth, none for the CLI): keyed apart.
      const key = crypto.hash('sha1', `${process.version}\0${flags}\0${filename}\0${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`);
      const file = path.join(dir, `${key}.js.bin`);
      let entry;
      try {
        entry = fs.readFileSync(file);
      } catch {
        entry = undefined;
      }
      if (entry && entry.length >= 4) {
        const length = entry.readUInt32LE(0);
        const content = entry.toString('utf8', 4, 4 + length);
        const script = new vm.Script(Module.wrap(content), { filename, cachedData: entry.subarray(4 + length) });
        if (script.cachedDataRejected) pending.push({ script, file, source: content });
        return runModule(mod, script.runInThisContext({ displayErrors: true }), filename);
      }
      loading.set(filename, Date.now() - Math.max(st.mtimeMs, st.ctimeMs) >= SETTLE_MS ? file : undefined);
      try {
        return load.call(this, mod, filename);
      } finally {
        loading.delete(filename);
      }
    };
  }
  for (const ext of ['.js', '.ts']) {
    if (Module._extensions[ext]) Module._extensions[ext] = withCache(Module._extensions[ext]);
  }
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
    if (pending.length === 0) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const { script, file, source } of pending) {
        const text = Buffer.from(source, 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(text.length, 0);
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, Buffer.concat([length, text, script.createCachedData()]));
        fs.renameSync(tmp, file);
      }
    } catch {
      // A read-only tree still works, just without the cache.
    }
  });
}

/**
 * Remembers where `require` found packages, across runs: node resolves each (request, folder) pair
 * afresh in every process, probing extensions and reading package.json `exports` (~40 ms of a
 * synth's ~290 modules). Only what node_modules alone decides is kept: bare requests (`cdktf`,
 * `@cdktf/provider-aws/lib/s3-bucket`; not `#imports`, not `node:` built-ins) and relative requests
 * made from inside node_modules. All of it is valid as long as node_modules is what npm installed:
 * the entries are dropped when node_modules/.package-lock.json (which every npm install rewrites)
 * or node changes, and an entry whose file is gone is resolved again. `require.resolve` with
 * options and the main module are resolved as usual.
 */
function installResolveCache(dir, root) {
  const modules = path.join(root, 'node_modules') + path.sep;
  let lock;
  try {
    const st = fs.statSync(path.join(root, 'node_modules', '.package-lock.json'));
    lock = `${process.version}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
  } catch {
    return; // not installed by npm: nothing to key the entries on
  }
  const file = path.join(dir, 'resolved.json');
  let known = new Map();
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8'));
    if (saved.lock === lock) known = new Map(Object.entries(saved.resolved));
  } catch {
    // no entries yet
  }
  let added = false;
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveWithCache(request, parent, isMain, options) {
    const first = request.charCodeAt(0);
    const relative = first === 46; /* . */
    if (isMain || options !== undefined || !parent || !parent.path || first === 47 /* / */ || first === 35 /* # */ || request.startsWith('node:') || (relative && !parent.path.startsWith(modules))) {
      return resolveFilename.call(this, request, parent, isMain, options);
    }
    const key = `${parent.path}\0${request}`;
    const cached = known.get(key);
    if (cached !== undefined && (!path.isAbsolute(cached) || fs.existsSync(cached))) return cached;
    const filename = resolveFilename.call(this, request, parent, isMain, options);
    if (filename.startsWith(modules) || !path.isAbsolute(filename)) {
      known.set(key, filename);
      added = true;
    }
    return filename;
  };
  process.once('exit', () => {
    if (!added) return;
    try {
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ lock, resolved: Object.fromEntries(known) }));
      fs.renameSync(tmp, file);
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
    // As `require.resolve(name, { paths: [<from's folder>] })` would, but through installResolveCache.
    const fromDir = path.dirname(Module._resolveFilename(`${from}/package.json`, module, false));
    const parent = new Module(path.join(fromDir, 'package.json'), null);
    parent.filename = parent.id;
    parent.paths = Module._nodeModulePaths(fromDir);
    file = Module._resolveFilename(name, parent, false);
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

if (process.env.JEST_WORKER_ID === undefined && process.env.MLFLOW_INFRA_NO_CODE_CACHE !== '1' && !Module.prototype._compile.mlflowInfraCodeCache) {
  const dir = process.env.MLFLOW_INFRA_CODE_CACHE_DIR || path.join(__dirname, '..', 'node_modules', '.cache', 'mlflow-infra-v8');
  installCodeCache(dir);
  installResolveCache(dir, path.join(__dirname, '..'));
  Module.prototype._compile.mlflowInfraCodeCache = true;
}

// Not in jest workers, which require this file only for `transpile` (jest loads test code itself).
if (process.env.JEST_WORKER_ID === undefined && process.env.MLFLOW_INFRA_NO_DEFER !== '1') {
  deferModule('archiver', 'cdktf', 'function');
  deferModule('semver', 'cdktf', 'object');
  deferModule('zod/v4/locales', 'zod', 'esm');
}

module.exports = { transpile };
