import { defineRule, fail, pass } from '../../types';
import { asNumber } from '../../values';

const DEFAULT_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306, mariadb: 3306 };

export const RdsNoExplicitDefaultPort = defineRule({
  id: 'MLF-RDS-17',
  name: 'RdsNoExplicitDefaultPort',
  severity: 'low',
  controls: ['RDS-DEFAULT-PORT'],
  scanners: { kics: ['bca7cc4d-b3a4-4345-9461-eb69c68fcd26'] },
  resourceTypes: ['aws_db_instance'],
  info: 'port is not set explicitly to the engine default.',
  explanation: 'KICS flags an explicit default port; omitting the attribute gives the same port (it is computed) without the finding.',
  evaluate(db) {
    const port = asNumber(db.config.port);
    const def = DEFAULT_PORTS[String(db.config.engine ?? '')];
    return port !== undefined && port === def ? fail(`port is explicitly ${port}, the engine default`) : pass();
  },
});
