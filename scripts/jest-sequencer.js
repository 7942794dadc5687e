'use strict';
// Test order for a 2-worker run: the files that run real terraform (14-45 s of CPU each, mostly the
// AWS provider loading its schema) start first, in jest's own order among themselves (slowest
// first once jest has timings; by file size before, which would put the 4-line per-stack validate
// files last and leave one worker running them alone at the end). Everything else follows in
// jest's order and fills in around them.
const Sequencer = require('@jest/test-sequencer').default;

const REAL_TERRAFORM = /(\.terraform\.test\.ts|[\\/]terraform[\\/]validate\.[^\\/]+\.test\.ts)$/;

class RealTerraformFirst extends Sequencer {
  sort(tests) {
    const order = (sorted) => [...sorted.filter((t) => REAL_TERRAFORM.test(t.path)), ...sorted.filter((t) => !REAL_TERRAFORM.test(t.path))];
    const sorted = super.sort(tests);
    return Array.isArray(sorted) ? order(sorted) : sorted.then(order);
  }
}

module.exports = RealTerraformFirst;
module.exports.REAL_TERRAFORM = REAL_TERRAFORM;
