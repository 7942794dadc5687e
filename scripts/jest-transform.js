'use strict';
// Jest transformer: the same esbuild transpile as the runtime hook (type-checking is `npm run typecheck`).
const { transpile } = require('./register');

module.exports = {
  process(source, filename) {
    return { code: transpile(source, filename) };
  },
};
