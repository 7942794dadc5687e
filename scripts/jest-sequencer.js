'use strict';
// Test order for a 2-worker run: longest first, so that no long file starts last and leaves one
// worker running it alone at the end. The files measured as the longest (the seconds a worker is
// busy with each, run alone: CPU time from `/usr/bin/time npx jest --runInBand <file>`, or the wall
// time for a file that mostly waits, the PostgreSQL one; mostly real terraform, the AWS provider
// loading its schema) start first, longest first; then any other file that runs real terraform
// (jest's own order would put the 4-line per-stack validate files last: on a fresh run it orders
// by file size); then everything else in jest's order (failed first, then slowest first once
// jest has timings). The table is an ordering hint only: a file missing from it still runs.
const Sequencer = require('@jest/test-sequencer').default;
const path = require('path');

const REAL_TERRAFORM = /(\.terraform\.test\.ts|[\\/]terraform[\\/]validate\.[^\\/]+\.test\.ts)$/;

/** Seconds per file, measured alone after issue 16's changes (README "Speed"); paths from the project root. */
const MEASURED_SECONDS = {
  '__tests__/migration/apply.terraform.test.ts': 31,
  '__tests__/migration/gate.terraform.test.ts': 25,
  '__tests__/db-migration/postgres.integration.test.ts': 14, // wall: 8 s of CPU, the rest waits on PostgreSQL
  '__tests__/migration/remote.terraform.test.ts': 22,
  '__tests__/rehearsal/moto.test.ts': 11,
  '__tests__/terraform/validate.mlflow-production.test.ts': 10,
  '__tests__/terraform/validate.mlflow-staging.test.ts': 10,
  '__tests__/terraform/validate.mlflow-apprunner-staging.test.ts': 10,
  '__tests__/stacks/synth.test.ts': 9,
  '__tests__/docker/entrypoint.test.ts': 8,
  '__tests__/plan-review/lean-parse.test.ts': 7,
  '__tests__/terraform/offline.test.ts': 5,
  '__tests__/plan-review/input.test.ts': 5,
};

class LongestFirst extends Sequencer {
  sort(tests) {
    const order = (sorted) => {
      const weight = (t) => MEASURED_SECONDS[path.relative(t.context.config.rootDir, t.path).split(path.sep).join('/')];
      const measured = sorted.filter((t) => weight(t) !== undefined).sort((a, b) => weight(b) - weight(a));
      const rest = sorted.filter((t) => weight(t) === undefined);
      return [...measured, ...rest.filter((t) => REAL_TERRAFORM.test(t.path)), ...rest.filter((t) => !REAL_TERRAFORM.test(t.path))];
    };
    const sorted = super.sort(tests);
    return Array.isArray(sorted) ? order(sorted) : sorted.then(order);
  }
}

module.exports = LongestFirst;
module.exports.REAL_TERRAFORM = REAL_TERRAFORM;
module.exports.MEASURED_SECONDS = MEASURED_SECONDS;
