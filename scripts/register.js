'use strict';
// Require hook that transpiles TypeScript with esbuild (no type-check: `npm run typecheck` does that).
// One mechanism for the synth entry, the CLI and jest, so that every path starts in milliseconds.
// Transpiled output is cached on disk by content hash (node_modules/.cache/mlflow-infra-ts), so a
// second run does not start esbuild at all; MLFLOW_INFRA_NO_TS_CACHE=1 turns the cache off.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

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

module.exports = { transpile };
