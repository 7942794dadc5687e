import { defineRule, fail, notApplicable, pass, unknown } from '../../types';
import { isExpression } from '../../values';

const AURORA_PG_VULNERABLE = ['10.11', '10.12', '10.13', '11.6', '11.7', '11.8'];

export const RdsEngineVersion = defineRule({
  id: 'MLF-RDS-18',
  name: 'RdsEngineVersion',
  severity: 'medium',
  controls: ['RDS-ENGINE-VERSION'],
  scanners: { checkov: ['CKV_AWS_250', 'CKV_AWS_388'] },
  resourceTypes: ['aws_db_instance', 'aws_rds_cluster'],
  info: 'PostgreSQL is major version 14 or newer; aurora-postgresql is 13 or newer and not a version with known log_fdw issues.',
  explanation: 'Older majors are out of community support or have known vulnerabilities (CVE-2020-25694 family).',
  evaluate(db) {
    const engine = String(db.config.engine ?? '');
    const version = db.config.engine_version;
    if (!engine.includes('postgres')) return notApplicable(`engine ${engine}`);
    if (version === undefined) return fail('engine_version is not set (the default changes under you)');
    if (isExpression(version)) return unknown(`engine_version is the expression ${version}`);
    const major = Number(String(version).split('.')[0]);
    if (engine === 'aurora-postgresql') return major >= 13 && !AURORA_PG_VULNERABLE.includes(String(version)) ? pass() : fail(`aurora-postgresql ${String(version)}`);
    return major >= 14 ? pass() : fail(`postgres ${String(version)} is older than 14`);
  },
});
