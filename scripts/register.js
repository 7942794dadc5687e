'use strict';
// Require hook that transpiles TypeScript with esbuild (no type-check: `npm run typecheck` does that).
// One mechanism for the synth entry, the CLI and jest, so that every path starts in milliseconds.
const fs = require('fs');
const { transformSync } = require('esbuild');

function transpile(source, filename) {
  return transformSync(source, {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  }).code;
}

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = function registerTs(module, filename) {
    module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
  };
  // Stack traces point at the TypeScript lines.
  process.setSourceMapsEnabled(true);
}

module.exports = { transpile };
