#!/usr/bin/env node
'use strict';
/**
 * Mutation probe: breaks one thing at a time in the modules whose mistakes cost most (redaction,
 * the destroy guard, the migration planner's pairing, config validation, the security-group policy
 * rules), runs the suites that should notice, and lists the mutants no test noticed ("survivors").
 * A survivor is a place where a wrong program still passes every test: add the missing case, or
 * explain in the README's testing section why the mutant is equivalent.
 *
 *   node scripts/mutation-probe.js [--module <name>]... [--max <n>] [--list] [--json] [--fail-on-survivors]
 *
 * Mutants are single-token changes outside string literals and comments: === and !==, < and <=,
 * > and >=, && and ||, true and false, .some( and .every(, a removed `!`, a `continue;` or
 * `return;` dropped. Each must still parse (esbuild); the source file is restored after every
 * mutant, also on Ctrl-C. Sequential and deterministic: with --max the mutants of a module are
 * sampled at even intervals, so the same tree gives the same list. Exit 0 (1 with
 * --fail-on-survivors and a survivor; 2 when a module's suites fail before any mutation; 64 usage).
 */
const { spawn } = require('node:child_process');
const { setTimeout, clearTimeout } = require('node:timers');
const fs = require('node:fs');
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');

/** name -> the source files mutated and the suites that must notice. */
const MODULES = {
  redaction: { files: ['src/plan-review/values.ts'], suites: ['__tests__/plan-review/redaction.test.ts', '__tests__/plan-review/review.test.ts'] },
  guard: { files: ['src/plan-review/review.ts', 'src/plan-review/allow-list.ts'], suites: ['__tests__/plan-review/review.test.ts', '__tests__/plan-review/allow-list.test.ts'], match: /Guard|allow|Allow|protect|stateful|blocked/ },
  pairing: { files: ['src/migration/planner.ts'], suites: ['__tests__/migration/planner.test.ts', '__tests__/migration/gate.test.ts'] },
  config: { files: ['src/config/validate.ts'], suites: ['__tests__/config/validate.test.ts'] },
  'policy-sg': { files: ['src/policy/security-group-rules.ts', 'src/policy/rules/sg'], suites: ['__tests__/policy/rules.test.ts'] },
};

const SWAPS = [
  [' === ', ' !== '],
  [' !== ', ' === '],
  [' <= ', ' < '],
  [' < ', ' <= '],
  [' >= ', ' > '],
  [' > ', ' >= '],
  [' && ', ' || '],
  [' || ', ' && '],
  ['true', 'false'],
  ['false', 'true'],
  ['.some(', '.every('],
  ['.every(', '.some('],
  ['(!', '('],
  [' continue;', ' {}'],
  ['return;', '{}'],
];

function usage(message) {
  if (message) process.stderr.write(`mutation-probe: ${message}\n`);
  process.stderr.write(`Usage: node scripts/mutation-probe.js [--module ${Object.keys(MODULES).join('|')}]... [--max <n>] [--list] [--json] [--fail-on-survivors]\n`);
  process.exit(64);
}

function parseArgs(argv) {
  const opts = { modules: [], max: Infinity, list: false, json: false, failOnSurvivors: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(fs.readFileSync(path.join(__dirname, 'mutation-probe.js'), 'utf8').split('\n').slice(3, 19).map((l) => l.replace(/^ \*\/?\s?/, '')).join('\n') + '\n');
      process.exit(0);
    } else if (a === '--module') {
      const m = argv[++i];
      if (!MODULES[m]) usage(`unknown module '${m}'; one of: ${Object.keys(MODULES).join(', ')}`);
      opts.modules.push(m);
    } else if (a === '--max') {
      opts.max = Number(argv[++i]);
      if (!Number.isInteger(opts.max) || opts.max < 1) usage(`--max takes a whole number >= 1, got '${argv[i]}'`);
    } else if (a === '--list') opts.list = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--fail-on-survivors') opts.failOnSurvivors = true;
    else usage(`unknown argument '${a}'`);
  }
  if (opts.modules.length === 0) opts.modules = Object.keys(MODULES);
  return opts;
}

/** The line with string literals' contents and comments blanked out (same length), so only code is mutated. */
function codeOnly(line) {
  let out = '';
  let quote = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === '\\') {
        out += '  ';
        i++;
      } else if (c === quote) {
        out += c;
        quote = null;
      } else out += ' ';
    } else if (c === '/' && line[i + 1] === '/') {
      return out + ' '.repeat(line.length - i);
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
      out += c;
    } else out += c;
  }
  return out;
}

function sourceFiles(entry) {
  const full = path.join(ROOT, entry);
  if (fs.statSync(full).isDirectory()) return fs.readdirSync(full).filter((f) => f.endsWith('.ts')).sort().map((f) => path.join(entry, f));
  return [entry];
}

/** Every single-token mutant of the module's files that still parses. */
function mutantsOf(name) {
  const mod = MODULES[name];
  const out = [];
  for (const file of mod.files.flatMap(sourceFiles)) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    const lines = text.split('\n');
    let inBlockComment = false;
    lines.forEach((line, index) => {
      const trimmed = line.trim();
      if (inBlockComment || trimmed.startsWith('/*')) {
        inBlockComment = !trimmed.includes('*/');
        return;
      }
      if (trimmed.startsWith('*') || trimmed.startsWith('import ') || trimmed === '') return;
      // Type-only lines (erased at run time: a mutant there cannot change behaviour).
      if (/^(export\s+)?(type|interface)\s/.test(trimmed) || /^(readonly\s+)?[\w$]+\??:\s[^=]*;$/.test(trimmed)) return;
      if (mod.match && !mod.match.test(line)) return;
      const code = codeOnly(line);
      for (const [from, to] of SWAPS) {
        for (let at = code.indexOf(from); at >= 0; at = code.indexOf(from, at + 1)) {
          if (/^\w+$/.test(from) && (/\w/.test(code[at - 1] ?? '') || /\w/.test(code[at + from.length] ?? ''))) continue;
          const mutated = line.slice(0, at) + to + line.slice(at + from.length);
          const mutatedText = [...lines.slice(0, index), mutated, ...lines.slice(index + 1)].join('\n');
          try {
            esbuild.transformSync(mutatedText, { loader: 'ts' });
          } catch {
            continue;
          }
          out.push({ module: name, file, line: index + 1, from: from.trim(), to: to.trim(), mutatedText, original: text });
        }
      }
    });
  }
  return out;
}

/** Evenly spaced sample of at most `max` items, always the same for the same list. */
function sample(items, max) {
  if (items.length <= max) return items;
  const step = items.length / max;
  return Array.from({ length: max }, (_, i) => items[Math.floor(i * step)]);
}

/** Runs the suites; a run longer than `timeoutMs` (e.g. a mutant that loops) is stopped and counts as noticed. */
function runSuites(suites, timeoutMs = 600_000) {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'node_modules/jest/bin/jest.js'), '--ci', '--silent', '--bail', ...suites], {
      cwd: ROOT,
      env: { ...process.env, CI: 'true', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      running = null;
      resolve({ passed: code === 0 && !timedOut, timedOut, seconds: (Date.now() - started) / 1000, output });
    });
  });
}

let restoring = null;
let running = null;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (running) running.kill('SIGKILL');
    if (restoring) fs.writeFileSync(restoring.path, restoring.text);
    process.stderr.write(`mutation-probe: interrupted; ${restoring ? `restored ${path.relative(ROOT, restoring.path)}` : 'nothing to restore'}\n`);
    process.exit(130);
  });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const results = [];
  for (const name of opts.modules) {
    const all = mutantsOf(name);
    const chosen = sample(all, opts.max);
    if (opts.list) {
      for (const m of chosen) process.stdout.write(`${name}  ${m.file}:${m.line}  ${m.from} -> ${m.to}\n`);
      continue;
    }
    const baseline = await runSuites(MODULES[name].suites);
    if (!baseline.passed) {
      process.stderr.write(`mutation-probe: ${name}: the suites fail without any mutation; fix them first\n${baseline.output.slice(-3000)}\n`);
      return 2;
    }
    const timeoutMs = Math.max(30_000, baseline.seconds * 5000);
    process.stderr.write(`${name}: ${chosen.length} of ${all.length} mutants, suites ${MODULES[name].suites.join(' ')} (${baseline.seconds.toFixed(1)} s each)\n`);
    for (const [i, m] of chosen.entries()) {
      const target = path.join(ROOT, m.file);
      restoring = { path: target, text: m.original };
      fs.writeFileSync(target, m.mutatedText);
      let outcome;
      try {
        outcome = await runSuites(MODULES[name].suites, timeoutMs);
      } finally {
        fs.writeFileSync(target, m.original);
        restoring = null;
      }
      const status = outcome.passed ? 'SURVIVED' : outcome.timedOut ? 'timeout' : 'killed';
      results.push({ module: name, file: m.file, line: m.line, from: m.from, to: m.to, status });
      process.stderr.write(`  [${i + 1}/${chosen.length}] ${status.padEnd(8)} ${m.file}:${m.line}  ${m.from} -> ${m.to}\n`);
    }
  }
  if (opts.list) return 0;
  const survivors = results.filter((r) => r.status === 'SURVIVED');
  if (opts.json) process.stdout.write(JSON.stringify({ mutants: results.length, killed: results.length - survivors.length, survivors }, null, 2) + '\n');
  else {
    process.stdout.write(`mutation-probe: ${results.length} mutants, ${results.length - survivors.length} killed (a time-out counts as killed), ${survivors.length} survived\n`);
    for (const s of survivors) process.stdout.write(`  survivor: ${s.file}:${s.line}  ${s.from} -> ${s.to}\n`);
  }
  return opts.failOnSurvivors && survivors.length > 0 ? 1 : 0;
}

if (require.main === module) main().then((code) => (process.exitCode = code));

module.exports = { codeOnly, sample, mutantsOf, MODULES };
