#!/usr/bin/env node
'use strict';
require('../scripts/register');
const { main } = require('../src/cli/main');

// main() reports every error itself (src/cli/main.ts: a message, or a bug's stack trace and exit 70).
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
