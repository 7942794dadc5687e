'use strict';
/*
 * bench/review-plan/generate.js: writes a deterministic plan JSON of N resource changes with a
 * realistic mix (no-ops, updates, creates with unknowns, replacements, destroys, reads, moves,
 * imports, sensitive values, drift, modules with count/for_each, full prior_state/planned_values).
 * Used by bench/review-plan/run (20,000 changes, ~58 MiB) and by the plan-review tests (small N).
 */
const fs = require('fs');

/** Deterministic PRNG (mulberry32) so every run reviews the same plan. */
function prng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MIX = [
  ['no-op', 0.55],
  ['update', 0.17],
  ['create', 0.12],
  ['replace', 0.05],
  ['delete', 0.04],
  ['read', 0.03],
  ['move', 0.02],
  ['import', 0.02],
];
const TYPES = ['aws_security_group', 'aws_iam_policy', 'aws_s3_bucket', 'aws_ssm_parameter', 'aws_lambda_function', 'aws_sqs_queue', 'aws_route53_record', 'aws_cloudwatch_log_group', 'aws_db_instance', 'aws_instance'];

function values(rand, i, variant) {
  const v = {
    id: `res-${i}`,
    arn: `arn:aws:service:us-east-1:123456789012:thing/res-${i}`,
    name: `app-${i % 500}-${i}`,
    description: `generated resource ${i}`,
    tags: variant === 0 ? null : { Project: 'fraud-scoring', Environment: 'staging', Owner: `team-${i % 7}`, Revision: String(variant) },
    tags_all: { Project: 'fraud-scoring', Owner: `team-${i % 7}` },
    settings: Array.from({ length: 2 }, (_, k) => ({ key: `setting_${k}`, value: `value-${(i * 31 + k * 7 + variant) % 997}`, enabled: k % 2 === 0 })),
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: variant ? ['s3:GetObject', 's3:PutObject'] : ['s3:GetObject'], Resource: `arn:aws:s3:::bucket-${i % 50}/*` }] }),
    ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: [variant && rand() < 0.1 ? '0.0.0.0/0' : '10.0.0.0/8'], description: 'https' }],
    password: `bench-secret-${i}`,
  };
  return v;
}

/** A state root module as Terraform writes it: module instances' resources under `child_modules`. */
function stateModule(entries) {
  const children = new Map();
  const resources = [];
  for (const { module, resource } of entries) {
    if (!module) resources.push(resource);
    else if (children.has(module)) children.get(module).resources.push(resource);
    else children.set(module, { address: module, resources: [resource] });
  }
  return { resources, child_modules: [...children.values()] };
}

/** The i-th change of the plan, with its planned, prior and drift entries (deterministic: `rand` is consumed in order). */
function entry(rand, i) {
  let r = rand();
  let action = MIX[MIX.length - 1][0];
  for (const [a, p] of MIX) {
    if (r < p) {
      action = a;
      break;
    }
    r -= p;
  }
  const type = TYPES[i % TYPES.length];
  const inModule = i % 3 === 0;
  const name = `r${i}`;
  const base = `${action === 'read' ? 'data.' : ''}${type}.${name}${i % 4 === 0 ? `[${i % 5}]` : ''}`;
  const address = inModule ? `module.svc["m${i % 40}"].${base}` : base;
  const before = action === 'create' || action === 'read' ? null : values(rand, i, 0);
  const after = action === 'delete' ? null : values(rand, i, action === 'update' || action === 'replace' ? 1 : 0);
  const sens = { password: true, settings: [{}, {}] };
  const change = {
    actions: { 'no-op': ['no-op'], update: ['update'], create: ['create'], replace: ['delete', 'create'], delete: ['delete'], read: ['read'], move: ['no-op'], import: ['no-op'] }[action],
    before,
    after,
    after_unknown: action === 'create' || action === 'replace' ? { id: true, arn: true } : {},
    before_sensitive: before ? sens : false,
    after_sensitive: after ? sens : false,
  };
  if (action === 'import') change.importing = { id: `res-${i}` };
  if (action === 'replace') change.replace_paths = [['name']];
  const rc = { address, module_address: inModule ? `module.svc["m${i % 40}"]` : undefined, mode: action === 'read' ? 'data' : 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/aws', change };
  if (action === 'move') rc.previous_address = `${type}.old_${name}`;
  if (action === 'replace') rc.action_reason = 'replace_because_cannot_update';
  return {
    rc,
    planned: after ? { module: rc.module_address, resource: { address, mode: rc.mode, type, name, values: after, sensitive_values: sens } } : undefined,
    prior: before ? { module: rc.module_address, resource: { address, mode: 'managed', type, name, values: before, sensitive_values: sens } } : undefined,
    drift:
      i % 20 === 0 && before
        ? { address, mode: 'managed', type, name, change: { actions: i % 400 === 0 ? ['delete'] : ['update'], before, after: i % 400 === 0 ? null : { ...before, tags: before.tags ?? {} }, before_sensitive: sens, after_sensitive: i % 400 === 0 ? false : sens } }
        : undefined,
  };
}

/**
 * Writes the plan in Terraform's member order (`terraform show -json`: planned_values and
 * resource_drift before resource_changes, prior_state and configuration after), generating the
 * changes twice from the same seed: once for what precedes them, once to write them.
 */
function generate(file, n) {
  const fd = fs.openSync(file, 'w');
  const w = (s) => fs.writeSync(fd, s);
  const planned = [];
  const prior = [];
  const drift = [];
  let rand = prng(42);
  for (let i = 0; i < n; i++) {
    const e = entry(rand, i);
    if (e.planned) planned.push(e.planned);
    if (e.drift) drift.push(e.drift);
  }
  w('{"format_version":"1.2","terraform_version":"1.11.4","variables":{"db_password":{"value":"bench-variable-secret"}}');
  w(',"planned_values":{"root_module":' + JSON.stringify(stateModule(planned)) + '}');
  planned.length = 0;
  w(',"resource_drift":' + JSON.stringify(drift) + ',"resource_changes":[');
  drift.length = 0;
  rand = prng(42);
  for (let i = 0; i < n; i++) {
    const e = entry(rand, i);
    w((i ? ',' : '') + JSON.stringify(e.rc));
    if (e.prior) prior.push(e.prior);
  }
  w('],"output_changes":{"url":{"actions":["update"],"before":"https://a","after":"https://b","after_unknown":false,"before_sensitive":false,"after_sensitive":false}}');
  w(',"prior_state":{"format_version":"1.0","values":{"root_module":' + JSON.stringify(stateModule(prior)) + '}}');
  w(',"configuration":{"root_module":{"variables":{"db_password":{"sensitive":true}}}},"relevant_attributes":[],"applyable":true,"complete":true,"errored":false}');
  fs.closeSync(fd);
}

module.exports = { generate };
