'use strict';
/*
 * bench/time.js: the one way the benchmarks measure a command: GNU time (/usr/bin/time) around it,
 * for wall time, CPU time (user + system, of the command and every process it waited for) and peak
 * RSS, which node cannot see for a child's children.
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const TIME = '/usr/bin/time';

/** Exits 1 with `<label>: /usr/bin/time is needed ...` when GNU time is missing. */
function requireTime(label, what = '') {
  if (fs.existsSync(TIME)) return;
  process.stderr.write(`${label}: ${TIME} is needed${what ? ` ${what}` : ''} (apt-get install time)\n`);
  process.exit(1);
}

/**
 * Runs `command args` under GNU time with `spawnSync` options `options` (stdio, cwd, env, encoding).
 * Returns spawnSync's result plus `seconds` (wall), `userSeconds`, `sysSeconds`, `cpuSeconds` and
 * `peakMiB` of the last line GNU time wrote.
 */
function timed(command, args, options = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-time-'));
  const timeFile = path.join(dir, 'time.txt');
  try {
    const r = spawnSync(TIME, ['-f', '%e %U %S %M', '-o', timeFile, command, ...args], options);
    const [seconds, userSeconds, sysSeconds, kb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    return { ...r, seconds, userSeconds, sysSeconds, cpuSeconds: userSeconds + sysSeconds, peakMiB: kb / 1024 };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { requireTime, timed };
