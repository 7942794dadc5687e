#!/usr/bin/env node
'use strict';
require('../scripts/register');
const { main } = require('../src/cli/main');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`mlflow-infra: internal error: ${err && err.stack ? err.stack : err}\n`);
    process.exitCode = 1;
  },
);
