import { defineRule, fail, pass } from '../../types';
import { asNumber, firstBlock } from '../../values';

/** rate(...) at most 90 days, or any cron(); CKV_AWS_304. */
function scheduleOk(rules: Record<string, unknown> | undefined): boolean {
  if (!rules) return false;
  const days = asNumber(rules.automatically_after_days);
  if (days !== undefined) return days <= 90;
  const expr = String(rules.schedule_expression ?? '');
  if (expr.startsWith('cron(')) return true;
  const m = /^rate\((\d+) (day|days|hour|hours|minute|minutes)\)$/.exec(expr);
  if (!m) return false;
  const n = Number(m[1]);
  return m[2].startsWith('day') ? n <= 90 : m[2].startsWith('hour') ? n <= 2160 : n <= 129600;
}

export const SecretRotation = defineRule({
  id: 'MLF-SM-2',
  name: 'SecretRotation',
  severity: 'medium',
  controls: ['SM-ROTATION'],
  scanners: { checkov: ['CKV2_AWS_57', 'CKV_AWS_304'] },
  resourceTypes: ['aws_secretsmanager_secret', 'aws_secretsmanager_secret_rotation'],
  info: 'Every secret has an aws_secretsmanager_secret_rotation with a schedule of at most 90 days.',
  explanation: 'Prefer manage_master_user_password (RDS rotates it and it is no Terraform secret). A secret that cannot rotate automatically (an IdP-issued client secret, a password other systems hold) is suppressed with how it is rotated instead.',
  evaluate(resource, stack) {
    const rotations = resource.type === 'aws_secretsmanager_secret' ? stack.referencing(resource, ['aws_secretsmanager_secret_rotation'], 'secret_id') : [resource];
    if (rotations.length === 0) return fail('no aws_secretsmanager_secret_rotation references this secret');
    return rotations.every((r) => scheduleOk(firstBlock(r.config.rotation_rules))) ? pass() : fail('rotation_rules is missing or longer than 90 days');
  },
});
