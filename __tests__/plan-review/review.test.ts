/** Grouping, the guard, drift classification, security findings and redaction. */
import { render, reviewPlan, FORMATS, PlanInputError, SENSITIVE, UNKNOWN, checkPlan } from '../../src/plan-review';
import { allPlanFiles, CRAFTED, loadPlan, MOTO_DRIFT_PLAN, MOTO_DRIFT_REFRESH_ONLY, MOTO_IMPORT, sharedPlan, SYNTHETIC } from './helpers';

const byAddress = (review: ReturnType<typeof reviewPlan>, address: string) => {
  const r = review.resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address}`);
  return r;
};

describe('action buckets', () => {
  test('real Terraform 1.11 plan: moved, forget, modules with count and for_each, replace paths', () => {
    const review = reviewPlan(loadPlan(CRAFTED));
    expect(review.summary).toMatchObject({ create: 7, update: 3, replace: 1, delete: 1, forget: 1, move: 1, import: 0 });
    const moved = byAddress(review, 'aws_cloudwatch_log_group.app');
    expect(moved).toMatchObject({ kind: 'update', previousAddress: 'aws_cloudwatch_log_group.old' });
    expect(moved.attributes.map((a) => [a.path, a.before, a.after])).toEqual([['retention_in_days', '30', '365']]);
    expect(byAddress(review, 'aws_ecr_repository.legacy').kind).toBe('forget');
    expect(review.resources.filter((r) => r.address.startsWith('module.queues.')).map((r) => r.address)).toEqual([
      'module.queues.aws_sqs_queue.dlq[0]',
      'module.queues.aws_sqs_queue.dlq[1]',
      'module.queues.aws_sqs_queue.q["a"]',
      'module.queues.aws_sqs_queue.q["b"]',
    ]);
    const bucket = byAddress(review, 'aws_s3_bucket.artifacts');
    expect(bucket.replacePaths).toEqual(['bucket']);
    expect(bucket.attributes.filter((a) => a.forcesReplacement).map((a) => a.path)).toEqual(['bucket']);
    expect(bucket.attributes.find((a) => a.path === 'id')).toMatchObject({ before: '"fixture-artifacts"', after: UNKNOWN });
  });

  test('imports as Terraform plans them: the cut-over\'s first plan of mlflow-production (real, moto rehearsal)', () => {
    const review = reviewPlan(loadPlan(MOTO_IMPORT));
    const bucket = byAddress(review, 'aws_s3_bucket.storage_artifacts_bucket');
    expect(bucket).toMatchObject({ kind: 'update', imported: true, importId: 'fraud-scoring-models-123456789012', stateful: true });
    const encryption = byAddress(review, 'aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption');
    expect(encryption).toMatchObject({ imported: true, importId: 'fraud-scoring-models-123456789012' });
    // The default SSE-S3 configuration every bucket has, changed to the stack's KMS key.
    expect(encryption.attributes.find((a) => a.path === 'rule[0].apply_server_side_encryption_by_default[0].sse_algorithm')).toMatchObject({ before: '"AES256"', after: '"aws:kms"' });
    expect(review.resources.filter((r) => r.imported).map((r) => r.address)).toEqual([
      'aws_s3_bucket.storage_artifacts_bucket',
      'aws_s3_bucket_server_side_encryption_configuration.storage_artifacts_encryption',
    ]);
    // The migrated objects are updated in place; only the task definition gets a new revision.
    expect(review.resources.filter((r) => r.kind === 'replace' || r.kind === 'delete').map((r) => [r.address, r.kind])).toEqual([['aws_ecs_task_definition.mlflow_task', 'replace']]);
    expect(review.summary.import).toBe(2);
    expect(review.terraformCount).toEqual({ import: 2, add: review.summary.create + 1, change: review.summary.update, destroy: 1 });
    expect(review).toMatchObject({ status: 'changes', exitCode: 2, blocked: [] });
  });

  test('imports, create+forget, read, deposed objects, module indexes', () => {
    const review = reviewPlan(loadPlan(SYNTHETIC));
    expect(byAddress(review, 'aws_s3_bucket.logs')).toMatchObject({ kind: 'import', imported: true, importId: 'fixture-logs' });
    expect(byAddress(review, 'aws_iam_role.task')).toMatchObject({ kind: 'update', imported: true, importId: 'mlflow-task' });
    expect(byAddress(review, 'aws_secretsmanager_secret_version.db')).toMatchObject({ kind: 'replace', actions: ['create', 'forget'] });
    expect(byAddress(review, 'data.aws_iam_policy_document.assume')).toMatchObject({ kind: 'read', mode: 'data', stateful: false });
    expect(byAddress(review, 'aws_rds_cluster.ghost')).toMatchObject({ kind: 'delete', deposed: 'abc123' });
    expect(byAddress(review, 'module.app["blue"].aws_sqs_queue.jobs[1]').attributes.map((a) => a.path)).toEqual(['visibility_timeout_seconds']);
    expect(review.summary).toMatchObject({ import: 2, replace: 1, read: 1, delete: 1 });
  });

  test('a no-op with delete_because_no_resource_config is not a delete (fixture 01)', () => {
    const review = reviewPlan(loadPlan(sharedPlan('01')));
    expect(review.summary.delete).toBe(0);
    expect(review.resources.filter((r) => r.kind === 'no-op').map((r) => r.actionReason)).toEqual(['delete_because_no_resource_config']);
  });

  test('unknown action combinations are an input error, not a wrong summary', () => {
    const plan = checkPlan({ format_version: '1.2', resource_changes: [{ address: 'a.b', type: 'a', name: 'b', change: { actions: ['delete', 'update'] } }] });
    expect(() => reviewPlan(plan)).toThrow(new PlanInputError('resource_changes[0] (a.b): unknown action combination ["delete", "update"]'));
  });
});

describe('stateful guard and exit codes', () => {
  test('destroy and replace of stateful resources block with exit 3, naming each address', () => {
    const review = reviewPlan(loadPlan(CRAFTED));
    expect(review.status).toBe('blocked');
    expect(review.exitCode).toBe(3);
    expect(review.blocked.map((b) => [b.address, b.kind])).toEqual([
      ['aws_db_instance.old', 'delete'],
      ['aws_s3_bucket.artifacts', 'replace'],
    ]);
    expect(review.blocked[0].message).toContain('Pass --allow-destroy aws_db_instance.old (or list it in an --allow-destroy-file) if that is intended.');
  });

  test('--allow-destroy releases exactly the named addresses; unmatched ones are warned about', () => {
    const partly = reviewPlan(loadPlan(CRAFTED), { allowDestroy: ['aws_db_instance.old'] });
    expect(partly.blocked.map((b) => b.address)).toEqual(['aws_s3_bucket.artifacts']);
    expect(partly.allowed).toEqual([{ address: 'aws_db_instance.old', type: 'aws_db_instance', kind: 'delete', deposed: undefined, origin: '--allow-destroy', reason: undefined }]);
  });

  test('the suggested --allow-destroy is shell-safe; allowed deposed objects say so', () => {
    const address = `module.db["it's"].aws_db_instance.main`;
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [
        { address, type: 'aws_db_instance', name: 'main', change: { actions: ['delete', 'create'] } },
        { address: 'aws_rds_cluster.c', type: 'aws_rds_cluster', name: 'c', deposed: 'abc123', change: { actions: ['delete'] } },
      ],
    });
    const blocked = reviewPlan(plan).blocked.find((b) => b.address === address)!;
    expect(blocked.message).toContain(`Pass --allow-destroy 'module.db["it'\\''s"].aws_db_instance.main' (or list it in an --allow-destroy-file) if that is intended.`);
    const review = reviewPlan(plan, { allowDestroy: [address, 'aws_rds_cluster.c'] });
    expect(review.allowed.map((a) => [a.address, a.deposed])).toEqual([
      ['aws_rds_cluster.c', 'abc123'],
      [address, undefined],
    ]);
    expect(render(review, 'text')).toContain('aws_rds_cluster.c (deposed object abc123) is destroyed (aws_rds_cluster), allowed by --allow-destroy');
    const all = reviewPlan(loadPlan(CRAFTED), { allowDestroy: ['aws_db_instance.old', 'aws_s3_bucket.artifacts', 'aws_s3_bucket.typo'] });
    expect(all.blocked).toEqual([]);
    expect(all.exitCode).toBe(2);
    expect(all.warnings).toEqual(["--allow-destroy 'aws_s3_bucket.typo' matches no destroy or replacement of a stateful resource in this plan (typo, or stale after an apply?)"]);
  });

  test('create_before_destroy replacement of a secret is blocked (fixture 05); --protect-type extends the list', () => {
    expect(reviewPlan(loadPlan(sharedPlan('05'))).blocked.map((b) => b.address)).toEqual(['aws_secretsmanager_secret.default']);
    const plain = reviewPlan(loadPlan(sharedPlan('02')));
    expect(plain.status).toBe('changes');
    const protectedSg = reviewPlan(loadPlan(sharedPlan('02')), { protectTypes: ['aws_security_group', 'aws_instance'] });
    expect(protectedSg.blocked.map((b) => `${b.address}:${b.kind}`)).toEqual(['aws_instance.test:delete', 'aws_security_group.admin:replace']);
  });

  test('forget is not a destroy: the object stays', () => {
    expect(reviewPlan(loadPlan(sharedPlan('06'))).status).toBe('changes');
  });

  test('a forgotten security group or policy is no IAM/security-group finding (it stays in the account unchanged)', () => {
    const sg = { ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }] };
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_security_group.old', type: 'aws_security_group', name: 'old', change: { actions: ['forget'], before: sg, after: null } },
        { address: 'aws_security_group.gone', type: 'aws_security_group', name: 'gone', change: { actions: ['delete'], before: sg, after: null } },
      ],
    });
    expect(reviewPlan(plan).security.map((f) => f.address)).toEqual(['aws_security_group.gone']);
  });

  test('create-then-forget of a stateful resource is not blocked (the old object keeps its data) but is warned about', () => {
    const review = reviewPlan(loadPlan(SYNTHETIC), { allowDestroy: ['aws_rds_cluster.ghost'] });
    expect(review.status).toBe('changes');
    expect(review.blocked).toEqual([]);
    expect(byAddress(review, 'aws_secretsmanager_secret_version.db')).toMatchObject({ kind: 'replace', stateful: true });
    expect(review.warnings).toContain(
      'aws_secretsmanager_secret_version.db replaces a stateful aws_secretsmanager_secret_version with a new, EMPTY object; the old one is not destroyed but forgotten (it keeps its data, no longer managed by Terraform). Point users at the new one only after moving the data.',
    );
    const destroying = checkPlan({ format_version: '1.2', resource_changes: [{ address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', name: 'b', change: { actions: ['create', 'delete'] } }] });
    expect(reviewPlan(destroying).blocked.map((b) => b.kind)).toEqual(['replace']);
  });

  test("Terraform's own count: replacements add and destroy, create-then-forget only adds, imports are counted, deleted data sources are skipped", () => {
    const rc = (address: string, actions: string[], extra: object = {}) => ({ address, type: address.split('.')[0], name: address.split('.')[1], change: { actions, ...extra } });
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [
        rc('aws_sqs_queue.a', ['create']),
        rc('aws_sqs_queue.b', ['update']),
        rc('aws_sqs_queue.c', ['delete']),
        rc('aws_sqs_queue.d', ['delete', 'create']),
        rc('aws_sqs_queue.e', ['create', 'delete']),
        rc('aws_sqs_queue.f', ['create', 'forget']),
        rc('aws_sqs_queue.g', ['forget']),
        rc('aws_sqs_queue.h', ['no-op'], { importing: { id: 'h' } }),
        rc('aws_sqs_queue.i', ['update'], { importing: { id: 'i' } }),
        { ...rc('aws_iam_policy_document.j', ['read']), mode: 'data' },
        { ...rc('aws_iam_policy_document.k', ['delete']), mode: 'data' },
      ],
    });
    const review = reviewPlan(plan);
    expect(review.terraformCount).toEqual({ import: 2, add: 4, change: 2, destroy: 3 });
    expect(review.summary).toMatchObject({ create: 1, update: 2, replace: 3, delete: 1, forget: 1, read: 1, import: 2 });
    expect(review.resources.map((r) => r.address)).not.toContain('aws_iam_policy_document.k');
    expect(render(review, 'text')).toContain("(Terraform's own count: 2 to import, 4 to add, 2 to change, 3 to destroy.)");
    expect(render(review, 'markdown')).toContain("Terraform's own count: 2 to import, 4 to add, 2 to change, 3 to destroy.</sub>");
    const onlyDataDelete = checkPlan({ format_version: '1.2', resource_changes: [{ ...rc('aws_iam_policy_document.k', ['delete']), mode: 'data' }] });
    expect(reviewPlan(onlyDataDelete)).toMatchObject({ status: 'no-changes', exitCode: 0 });
  });

  test('ephemeral resources (["open"]) are neither counted nor listed', () => {
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [{ address: 'ephemeral.aws_secretsmanager_secret_version.db', mode: 'ephemeral', type: 'aws_secretsmanager_secret_version', name: 'db', change: { actions: ['open'] } }],
    });
    const review = reviewPlan(plan);
    expect(review).toMatchObject({ status: 'no-changes', exitCode: 0, resources: [] });
    expect(Object.values(review.summary).every((n) => n === 0)).toBe(true);
  });

  test('exit 0 without changes, 1 for an errored plan', () => {
    expect(reviewPlan(checkPlan({ format_version: '1.2', resource_changes: [] })).exitCode).toBe(0);
    const errored = reviewPlan(loadPlan(sharedPlan('15')));
    expect(errored).toMatchObject({ status: 'errored', exitCode: 1 });
    expect(errored.warnings[0]).toMatch(/^Terraform reported errors while planning/);
  });

  test('moves and imports alone are changes, like terraform -detailed-exitcode', () => {
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [{ address: 'aws_vpc.b', previous_address: 'aws_vpc.a', type: 'aws_vpc', name: 'b', change: { actions: ['no-op'] } }],
    });
    expect(reviewPlan(plan)).toMatchObject({ exitCode: 2, summary: { move: 1, noop: 1 } });
    expect(reviewPlan(plan).resources[0].kind).toBe('move');
  });
});

describe('drift', () => {
  test('each class once, with reasons (synthetic plan)', () => {
    const review = reviewPlan(loadPlan(SYNTHETIC));
    expect(review.drift.map((d) => [d.address, d.classification])).toEqual([
      ['aws_cloudwatch_log_group.app', 'noise'],
      ['aws_db_instance.main', 'deleted'],
      ['aws_ecs_service.app', 'reverted'],
      ['aws_kms_key.nested', 'absorbed'],
      ['aws_lb.main', 'relevant'],
      ['aws_vpc.main', 'absorbed'],
    ]);
    expect(review.warnings.filter((w) => w.startsWith('STATEFUL RESOURCE DELETED OUTSIDE TERRAFORM: aws_db_instance.main'))).toHaveLength(1);
  });

  // Real plans of the cut-over rehearsal: after the apply, outside Terraform, port 22 opened to
  // 0.0.0.0/0 on the tasks security group, a bucket tag added, log retention shortened, versioning
  // suspended and an alarm deleted; then `mlflow-infra drift` and `mlflow-infra plan` (real, moto).
  const OUT_OF_BAND = ['aws_cloudwatch_log_group.mlflow_logs', 'aws_s3_bucket.storage_artifacts_bucket', 'aws_s3_bucket_versioning.storage_artifacts_versioning', 'aws_security_group.security_tasks'];

  test('refresh-only (mlflow-infra drift): the out-of-band changes are absorbed, the deleted alarm is deleted; exit 2', () => {
    const review = reviewPlan(loadPlan(MOTO_DRIFT_REFRESH_ONLY), { refreshOnly: true });
    const cls = new Map(review.drift.map((d) => [d.address, d.classification]));
    for (const a of OUT_OF_BAND) expect([a, cls.get(a)]).toEqual([a, 'absorbed']);
    expect(review.drift.find((d) => d.address === 'aws_cloudwatch_metric_alarm.alarms_ecs_cpu')).toMatchObject({
      classification: 'deleted',
      reason: 'deleted outside Terraform; applying removes it from state, and the next plan creates it again',
    });
    expect(review).toMatchObject({ status: 'changes', exitCode: 2, resources: [] });
    expect(review.drift.find((d) => d.address === 'aws_cloudwatch_log_group.mlflow_logs')?.attributes.find((a) => a.path === 'retention_in_days')).toMatchObject({ before: '365', after: '1' });
  });

  test('the plan after drift (mlflow-infra plan) reverts the out-of-band changes and re-creates the deleted alarm', () => {
    const review = reviewPlan(loadPlan(MOTO_DRIFT_PLAN));
    const cls = new Map(review.drift.map((d) => [d.address, d.classification]));
    for (const a of OUT_OF_BAND.filter((x) => x !== 'aws_s3_bucket.storage_artifacts_bucket')) expect([a, cls.get(a)]).toEqual([a, 'reverted']);
    // The bucket's drift also holds what its separate resources (policy, logging, lifecycle) set since
    // the last refresh, which the plan keeps: absorbed as a whole, while the plan removes the tag.
    expect(cls.get('aws_s3_bucket.storage_artifacts_bucket')).toBe('absorbed');
    const bucket = review.resources.find((r) => r.address === 'aws_s3_bucket.storage_artifacts_bucket');
    expect(bucket?.attributes.find((a) => a.path === 'tags.ChangedBy')).toMatchObject({ before: '"console"', after: undefined });
    expect(review.drift.find((d) => d.address === 'aws_cloudwatch_metric_alarm.alarms_ecs_cpu')).toMatchObject({ classification: 'deleted', reason: 'deleted outside Terraform; this plan creates it again' });
    expect(review.resources.find((r) => r.address === 'aws_cloudwatch_metric_alarm.alarms_ecs_cpu')?.kind).toBe('create');
    expect(review.blocked).toEqual([]);
  });

  test('tags null -> {} is noise (fixtures 02, 03)', () => {
    for (const id of ['02', '03']) {
      const review = reviewPlan(loadPlan(sharedPlan(id)));
      expect(review.drift.every((d) => d.classification === 'noise' && d.reason === 'only empty-value churn (tags: null -> {})')).toBe(true);
    }
  });

  test('Terraform 1.0 drift without addresses: identical entries are noise, deletes keep a rebuilt address (fixture 04)', () => {
    const review = reviewPlan(loadPlan(sharedPlan('04')));
    expect(review.drift.every((d) => d.addressReconstructed)).toBe(true);
    expect(review.drift.filter((d) => d.classification === 'noise')).toHaveLength(9);
    expect(review.drift.filter((d) => d.classification === 'deleted').map((d) => d.address)).toContain('aws_security_group.lambda_sg');
  });

  test('drift on a moved resource is relevant to its planned change (fixture 12)', () => {
    const review = reviewPlan(loadPlan(sharedPlan('12')));
    expect(review.drift.map((d) => [d.address, d.classification])).toEqual([['test_instance.should_refresh_with_move', 'relevant']]);
    expect(review.resources.find((r) => r.address === 'test_instance.should_refresh_with_move')?.previousAddress).toBe('test_instance.should_refresh');
  });

  const deletedDb = (extra: object = {}) =>
    checkPlan({
      format_version: '1.2',
      resource_changes: [],
      resource_drift: [{ address: 'aws_db_instance.main', mode: 'managed', type: 'aws_db_instance', name: 'main', change: { actions: ['delete'], before: { id: 'db' }, after: null } }],
      ...extra,
    });

  test('a stateful resource deleted outside Terraform is loud in a refresh-only plan too (it comes back empty next plan)', () => {
    const review = reviewPlan(deletedDb(), { refreshOnly: true });
    expect(review.exitCode).toBe(2);
    expect(review.drift[0]).toMatchObject({ classification: 'deleted', reason: 'deleted outside Terraform; applying removes it from state, and the next plan creates it again' });
    expect(review.warnings).toEqual([
      'STATEFUL RESOURCE DELETED OUTSIDE TERRAFORM: aws_db_instance.main (aws_db_instance) no longer exists; applying this refresh-only plan removes it from state, and the next plan creates it again EMPTY while the configuration still declares it. Restore it from a backup or snapshot and import it, or confirm the loss.',
    ]);
    const normal = reviewPlan(deletedDb());
    expect(normal.drift[0].reason).toBe('deleted outside Terraform; applying removes it from state');
    expect(normal.warnings).toEqual([
      'STATEFUL RESOURCE DELETED OUTSIDE TERRAFORM: aws_db_instance.main (aws_db_instance) no longer exists; its data is gone unless restored from a backup or snapshot. Applying removes it from state.',
    ]);
    const plain = checkPlan({ format_version: '1.2', resource_changes: [], resource_drift: [{ address: 'aws_instance.x', type: 'aws_instance', name: 'x', change: { actions: ['delete'], before: {}, after: null } }] });
    expect(reviewPlan(plain, { refreshOnly: true }).warnings).toEqual([]);
  });

  test('drift the plan reverts is "reverted" even when the object also carries empty-value churn (tags: null -> {})', () => {
    // The provider reads tags back as {} where the state had null: noise next to the real drift.
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [
        {
          address: 'aws_s3_bucket_versioning.artifacts',
          type: 'aws_s3_bucket_versioning',
          name: 'artifacts',
          change: { actions: ['update'], before: { status: 'Suspended', tags: {} }, after: { status: 'Enabled', tags: {} } },
        },
      ],
      resource_drift: [
        {
          address: 'aws_s3_bucket_versioning.artifacts',
          type: 'aws_s3_bucket_versioning',
          name: 'artifacts',
          change: { actions: ['update'], before: { status: 'Enabled', tags: null }, after: { status: 'Suspended', tags: {} } },
        },
      ],
    });
    expect(reviewPlan(plan).drift[0]).toMatchObject({ classification: 'reverted', reason: 'this plan changes it back: status' });
    // Relevance too is decided on the meaningful attributes: churn on a relevant path is still noise.
    const churnOnly = checkPlan({
      format_version: '1.2',
      relevant_attributes: [{ resource: 'aws_sqs_queue.q', attribute: ['tags'] }],
      resource_changes: [],
      resource_drift: [{ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', name: 'q', change: { actions: ['update'], before: { delay: 0, tags: null }, after: { delay: 1, tags: {} } } }],
    });
    expect(reviewPlan(churnOnly).drift[0]).toMatchObject({ classification: 'absorbed' });
  });

  test('plan format >= 1.1 without relevant_attributes means none are relevant (Terraform omits the empty list); 1.0 cannot tell', () => {
    const plan = (formatVersion: string) =>
      checkPlan({
        format_version: formatVersion,
        resource_changes: [{ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', name: 'q', change: { actions: ['update'], before: { delay: 1, name: 'a' }, after: { delay: 1, name: 'b' } } }],
        resource_drift: [{ address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', name: 'q', change: { actions: ['update'], before: { delay: 0, name: 'a' }, after: { delay: 1, name: 'a' } } }],
      });
    expect(reviewPlan(plan('1.1')).drift[0]).toMatchObject({ classification: 'absorbed' });
    expect(reviewPlan(plan('1.2')).drift[0]).toMatchObject({ classification: 'absorbed' });
    expect(reviewPlan(plan('1.0')).drift[0]).toMatchObject({ classification: 'relevant', reason: 'the resource also has planned changes (plan format < 1.1 has no relevant_attributes)' });
    expect(reviewPlan(plan('0.2')).drift[0].classification).toBe('relevant');
  });

  test('refresh-only: an output change alone is not drift (exit 0); real drift is (exit 2)', () => {
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [],
      output_changes: { url: { actions: ['update'], before: 'https://a', after: 'https://b' } },
      resource_drift: loadPlan(sharedPlan('03')).resource_drift,
    });
    const review = reviewPlan(plan, { refreshOnly: true });
    expect(review).toMatchObject({ status: 'no-changes', exitCode: 0, summary: { outputs: 1, drift: 1, driftNoise: 1 } });
    expect(reviewPlan(plan)).toMatchObject({ status: 'changes', exitCode: 2 });
  });

  test('--refresh-only on a plan with resource changes: warned, and its changes still count (exit 2)', () => {
    const review = reviewPlan(loadPlan(sharedPlan('03')), { refreshOnly: true });
    expect(review).toMatchObject({ status: 'changes', exitCode: 2 });
    expect(review.warnings).toContain(
      'Reviewed as refresh-only, but this plan changes 3 resource(s): it is not a `terraform plan -refresh-only` plan (those change none). Review it without --refresh-only.',
    );
  });

  test('--refresh-only warning counts each changed resource once (imported, moved and updated is one)', () => {
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [{ address: 'aws_sqs_queue.b', previous_address: 'aws_sqs_queue.a', type: 'aws_sqs_queue', name: 'b', change: { actions: ['update'], importing: { id: 'q' }, before: { n: 1 }, after: { n: 2 } } }],
    });
    expect(reviewPlan(plan, { refreshOnly: true }).warnings[0]).toMatch(/this plan changes 1 resource\(s\)/);
  });

  test('refresh-only: real drift is a change (exit 2), noise alone is not (exit 0)', () => {
    expect(reviewPlan(loadPlan(SYNTHETIC), { refreshOnly: true, allowDestroy: ['aws_rds_cluster.ghost', 'aws_secretsmanager_secret_version.db'] }).exitCode).toBe(2);
    const noiseOnly = checkPlan({ format_version: '1.2', resource_drift: loadPlan(sharedPlan('03')).resource_drift, resource_changes: [] });
    expect(reviewPlan(noiseOnly, { refreshOnly: true }).exitCode).toBe(0);
  });
});

describe('IAM and security groups', () => {
  test('broadening first, internet-wide before the rest, with the exact facts', () => {
    const review = reviewPlan(loadPlan(CRAFTED));
    expect(review.security.map((f) => [f.address, f.severity, f.high])).toEqual([
      ['aws_iam_policy.app', 'broadens', true],
      ['aws_iam_role_policy_attachment.admin', 'broadens', true],
      ['aws_security_group.alb', 'broadens', true],
      ['aws_iam_role_policy_attachment.app', 'broadens', false],
    ]);
    expect(review.security[0].details).toContain('allows s3:* on *');
    expect(review.security[0].details).not.toContain('allows s3:GetObject on arn:aws:s3:::fixture-artifacts/*');
    expect(review.security[2].details).toEqual(['adds ingress tcp/0-65535 from 0.0.0.0/0 (open to the internet)', 'removes ingress tcp/443 from 10.0.0.0/8']);
  });

  test('a widened port range for the same source is named as such; narrowing sorts last', () => {
    const sg = (from: number, to: number) => ({ ingress: [{ from_port: from, to_port: to, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'] }] });
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [
        { address: 'aws_security_group.a', type: 'aws_security_group', name: 'a', change: { actions: ['update'], before: sg(443, 443), after: sg(0, 1024) } },
        { address: 'aws_security_group.b', type: 'aws_security_group', name: 'b', change: { actions: ['update'], before: sg(0, 1024), after: sg(443, 443) } },
      ],
    });
    const review = reviewPlan(plan);
    expect(review.security.map((f) => [f.address, f.severity, f.details])).toEqual([
      ['aws_security_group.a', 'broadens', ['widens ingress tcp/443 from 10.0.0.0/8 to ingress tcp/0-1024 from 10.0.0.0/8']],
      ['aws_security_group.b', 'narrows', ['narrows ingress tcp/0-1024 from 10.0.0.0/8 to ingress tcp/443 from 10.0.0.0/8']],
    ]);
  });

  test('drift gets the same analysis: a rule opened to the internet outside Terraform is a finding among benign absorbed drift', () => {
    const sg = (extra: object[], tags: object | null) => ({
      id: 'sg-1',
      ingress: [{ from_port: 5000, to_port: 5000, protocol: 'tcp', cidr_blocks: [], security_groups: ['sg-alb'], self: false }, ...extra],
      tags,
    });
    const open22 = { from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'], security_groups: [], self: false };
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [],
      resource_drift: [
        { address: 'aws_cloudwatch_log_group.app', type: 'aws_cloudwatch_log_group', name: 'app', change: { actions: ['update'], before: { retention_in_days: 30 }, after: { retention_in_days: 1 } } },
        { address: 'aws_security_group.tasks', type: 'aws_security_group', name: 'tasks', change: { actions: ['update'], before: sg([], null), after: sg([open22], {}) } },
        {
          address: 'aws_iam_role_policy.task',
          type: 'aws_iam_role_policy',
          name: 'task',
          change: {
            actions: ['update'],
            before: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }) },
            after: { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::1:role/x' }] }) },
          },
        },
      ],
    });
    const review = reviewPlan(plan, { refreshOnly: true });
    expect(review.drift.map((d) => [d.address, d.classification])).toEqual([
      ['aws_cloudwatch_log_group.app', 'absorbed'],
      ['aws_iam_role_policy.task', 'absorbed'],
      ['aws_security_group.tasks', 'absorbed'],
    ]);
    expect(review.security).toEqual([]);
    expect(review.driftSecurity).toEqual([
      { address: 'aws_security_group.tasks', category: 'security-group', severity: 'broadens', high: true, details: ['adds ingress tcp/22 from 0.0.0.0/0 (open to the internet)'], classification: 'absorbed' },
      { address: 'aws_iam_role_policy.task', category: 'iam', severity: 'broadens', high: false, details: ['allows iam:PassRole on arn:aws:iam::1:role/x'], classification: 'absorbed' },
    ]);
  });

  test('drift of attributes that mirror resources the configuration manages is not a change outside Terraform; unmanaged items still are', () => {
    const doc = (action: string) => JSON.stringify({ Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
    const role = (inline: object[], arns: string[]) => ({ name: 'task', inline_policy: inline, managed_policy_arns: arns });
    const plan = checkPlan({
      format_version: '1.2',
      resource_changes: [],
      resource_drift: [
        {
          address: 'aws_iam_role.task',
          type: 'aws_iam_role',
          name: 'task',
          change: {
            actions: ['update'],
            before: role([], []),
            after: role([{ name: 'managed-inline', policy: doc('s3:*') }, { name: 'added-by-hand', policy: doc('iam:*') }], ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/AdministratorAccess']),
          },
        },
        { address: 'aws_s3_bucket.b', type: 'aws_s3_bucket', name: 'b', change: { actions: ['update'], before: { policy: null }, after: { policy: doc('s3:GetObject') } } },
      ],
      configuration: {
        root_module: {
          resources: [
            { address: 'aws_iam_role_policy.p', mode: 'managed', type: 'aws_iam_role_policy', name: 'p', expressions: { name: { constant_value: 'managed-inline' }, role: { references: ['aws_iam_role.task.id', 'aws_iam_role.task'] } } },
            { address: 'aws_iam_role_policy_attachment.ro', mode: 'managed', type: 'aws_iam_role_policy_attachment', name: 'ro', expressions: { policy_arn: { constant_value: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }, role: { references: ['aws_iam_role.task.name', 'aws_iam_role.task'] } } },
            { address: 'aws_s3_bucket_policy.b', mode: 'managed', type: 'aws_s3_bucket_policy', name: 'b', expressions: { bucket: { references: ['aws_s3_bucket.b.id', 'aws_s3_bucket.b'] } } },
          ],
        },
      },
    });
    expect(reviewPlan(plan).driftSecurity).toEqual([
      {
        address: 'aws_iam_role.task',
        category: 'iam',
        severity: 'broadens',
        high: true,
        details: ['attaches arn:aws:iam::aws:policy/AdministratorAccess', 'inline_policy added-by-hand: allows iam:* on *'],
        classification: 'absorbed',
      },
    ]);
  });

  test('real drift (mlflow-infra drift, then plan): the port-22 opening leads the drift findings, high impact', () => {
    for (const [file, fate] of [[MOTO_DRIFT_REFRESH_ONLY, 'absorbed'], [MOTO_DRIFT_PLAN, 'reverted']] as const) {
      const review = reviewPlan(loadPlan(file), { refreshOnly: file === MOTO_DRIFT_REFRESH_ONLY });
      expect(review.driftSecurity[0]).toMatchObject({ address: 'aws_security_group.security_tasks', category: 'security-group', severity: 'broadens', high: true, classification: fate });
      expect(review.driftSecurity[0].details).toContain('adds ingress tcp/22 from 0.0.0.0/0 (open to the internet)');
    }
    // The plan that reverts it narrows the group again: a planned finding of its own.
    const plan = reviewPlan(loadPlan(MOTO_DRIFT_PLAN));
    expect(plan.security.find((f) => f.address === 'aws_security_group.security_tasks')).toMatchObject({ severity: 'narrows', details: ['removes ingress tcp/22 from 0.0.0.0/0'] });
  });

  test('a trust policy that adds a public principal is broadening (synthetic)', () => {
    const f = reviewPlan(loadPlan(SYNTHETIC)).security.find((x) => x.address === 'aws_iam_role.task');
    expect(f).toMatchObject({ severity: 'broadens', high: true, details: ['assume_role_policy: trusts principal AWS:*'] });
  });
});

/** Every string a plan marks sensitive, found independently of the code under test. */
function sensitiveStrings(plan: Record<string, unknown>): Set<string> {
  const found = new Set<string>();
  const all = (v: unknown): void => {
    if (typeof v === 'string' && v.length >= 3) found.add(v);
    else if (v && typeof v === 'object') Object.values(v).forEach(all);
  };
  const masked = (v: unknown, m: unknown): void => {
    if (m === true) all(v);
    else if (m && typeof m === 'object' && v && typeof v === 'object') for (const k of Object.keys(m)) masked((v as Record<string, unknown>)[k], (m as Record<string, unknown>)[k]);
  };
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if ('before_sensitive' in o) masked(o.before, o.before_sensitive);
    if ('after_sensitive' in o) masked(o.after, o.after_sensitive);
    if ('sensitive_values' in o) masked(o.values, o.sensitive_values);
    if (o.sensitive === true && 'value' in o) all(o.value);
    Object.values(o).forEach(visit);
  };
  visit(plan);
  const config = (plan.configuration as { root_module?: { variables?: Record<string, { sensitive?: boolean }>; outputs?: Record<string, { sensitive?: boolean }> } })?.root_module;
  for (const [name, v] of Object.entries(config?.variables ?? {})) if (v.sensitive) all((plan.variables as Record<string, { value: unknown }>)?.[name]?.value);
  for (const [name, o] of Object.entries(config?.outputs ?? {})) {
    const change = (plan.output_changes as Record<string, { before?: unknown; after?: unknown }> | undefined)?.[name];
    if (o.sensitive && change) [change.before, change.after].forEach(all);
  }
  return found;
}

describe('redaction', () => {
  test('the independent collector finds the secrets planted in our fixtures', () => {
    const synthetic = sensitiveStrings(loadPlan(SYNTHETIC) as unknown as Record<string, unknown>);
    for (const s of ['new-db-secret-pw-4242', 'prior-secret-string-abc', 'planned-secret-string-xyz', 'deposed-secret-pw-777', 'drift-secret-pw-9999', 'drift-nested-secret-55', 'postgres://u:outsecret-777@h', 'cfg-sensitive-token-42', 'var-secret-pw-31337', 'prior-child-module-secret']) {
      expect(synthetic).toContain(s);
    }
    const crafted = sensitiveStrings(loadPlan(CRAFTED) as unknown as Record<string, unknown>);
    expect(crafted).toContain('fixture-secret-pw-1234');
    expect(crafted).toContain('fixture-old-db-pw-5678');
  });

  test.each(allPlanFiles().map((f) => [f.split('/').pop()!, f]))('%s: no sensitive value in any format', (_name, file) => {
    const plan = loadPlan(file);
    const secrets = sensitiveStrings(plan as unknown as Record<string, unknown>);
    const review = reviewPlan(plan);
    for (const format of FORMATS) {
      const text = render(review, format, { colour: true });
      const leaked = [...secrets].filter((s) => text.includes(s));
      expect({ format, leaked }).toEqual({ format, leaked: [] });
    }
  });

  test('a sensitive value copied into an unmarked attribute is still masked (safety net)', () => {
    const app = reviewPlan(loadPlan(SYNTHETIC)).resources.find((r) => r.address === 'aws_ecs_service.app')!;
    expect(app.attributes.find((a) => a.path === 'tags.Copied')).toMatchObject({ before: undefined, after: SENSITIVE });
  });

  test('variables are never printed, not even non-sensitive ones', () => {
    const review = reviewPlan(loadPlan(SYNTHETIC));
    for (const format of FORMATS) expect(render(review, format)).not.toContain('"us-east-1"');
  });
});
