/**
 * `mlflow-infra db migrate` and `mlflow-infra db verify`: move the local MLflow database into RDS
 * and prove the copy is complete. Library: src/db-migration/. Runbook: migration/db/README.md.
 */
import { CliIo, Command, EXIT_REFUSED, parseCommandArgs } from '../command';
import { ConnectionFields, ConnectionSpec, DatabaseSecret, resolveConnection, Side } from '../../db-migration/connection';
import { DbEndpoints, migrateDatabase, verifyDatabases } from '../../db-migration/migrate';
import { DbMigrationError } from '../../db-migration/postgres';
import { Runner, spawnRunner } from '../../db-migration/runner';
import { fetchDatabaseSecret } from '../../db-migration/secrets';
import { renderReport, VerifyReport } from '../../db-migration/verify';

const SIDES: readonly Side[] = ['source', 'target'];
const FIELDS = ['host', 'port', 'user', 'dbname', 'sslmode', 'sslrootcert'] as const;

const connectionOptions = Object.fromEntries(
  SIDES.flatMap((side) => [...FIELDS, 'secret-arn'].map((f) => [`${side}-${f}`, { type: 'string' as const }])),
) as Record<`${Side}-${(typeof FIELDS)[number] | 'secret-arn'}`, { type: 'string' }>;

const commonOptions = {
  ...connectionOptions,
  schema: { type: 'string' as const, default: 'public' },
  json: { type: 'boolean' as const, default: false },
};

const CONNECTION_HELP = `Connections (for each of source and target; later sources win):
  defaults          source: localhost:5433, user mlflow_user, db mlflow_db, sslmode prefer
                    (the docker-compose database); target: port 5432, sslmode require
  --<side>-secret-arn <arn>   Secrets Manager secret read with the aws CLI: JSON with username,
                    password and optionally host, port, dbname (the RDS-managed secret has only
                    username/password: give the rest as flags)
  <SIDE>_DATABASE_URL         env: libpq URI postgresql://user:password@host:port/db?sslmode=...
  --<side>-host, --<side>-port, --<side>-user, --<side>-dbname,
  --<side>-sslmode, --<side>-sslrootcert
  Passwords: env SOURCE_PGPASSWORD / TARGET_PGPASSWORD, else the URI, else the secret. There is no
  password flag; child processes get it through a private PGPASSFILE, never on their command line.
  The target must use sslmode require, verify-ca or verify-full, and its session must be encrypted.
  --schema <name>   schema holding MLflow's tables (default public)
  --json            print the result as JSON on stdout`;

const MIGRATE_USAGE = `Usage: mlflow-infra db migrate [connection options] [--dump-file <path>] [--allow-nonempty] [--json]

Copies the local MLflow database into RDS: checks both sides, pg_dump --format=custom,
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction into the empty target,
ANALYZE, then the same verification as \`db verify\`. Progress goes to stderr. The source is only read.

  --dump-file <path>  keep the dump there (must not exist); default: a temporary file, deleted
  --allow-nonempty    accept a target schema that already has tables unrelated to MLflow; a target
                      holding an MLflow database (alembic_version rows) is always refused

${CONNECTION_HELP}

Exit codes: 0 migrated and verified; 1 invalid settings, a failed step, or verification found
differences (table of differences printed); 3 refused by a safety check (target not encrypted or
not empty, source not an MLflow database, target PostgreSQL older than the source); 64 usage error.
`;

const VERIFY_USAGE = `Usage: mlflow-infra db verify [connection options] [--json]

Compares source and target: exact row counts (count(*)) of every table in the schema, the set of
tables and their columns, constraints and indexes, sequence positions, and the alembic version
(SELECT version_num FROM alembic_version). Prints the per-table counts, or a table of differences.

${CONNECTION_HELP}

Exit codes: 0 identical; 1 differences found, invalid settings or a failed query; 3 target refused
(not encrypted); 64 usage error.
`;

type Values = Record<string, string | boolean | undefined>;

/** Builds both connection specs from flags, env and secrets; reports every problem at once. */
async function resolveEndpoints(
  values: Values,
  io: CliIo,
  runner: Runner,
): Promise<{ specs?: Record<Side, ConnectionSpec>; problems: string[] }> {
  const problems: string[] = [];
  const specs: Partial<Record<Side, ConnectionSpec>> = {};
  for (const side of SIDES) {
    const flags: ConnectionFields = {};
    for (const f of FIELDS) {
      const v = values[`${side}-${f}`];
      if (typeof v === 'string') flags[f] = v;
    }
    const secretId = values[`${side}-secret-arn`];
    let secret: DatabaseSecret | undefined;
    if (typeof secretId === 'string') {
      const fetched = await fetchDatabaseSecret(runner, secretId, io.env);
      problems.push(...fetched.problems);
      secret = fetched.secret;
      if (!secret) continue;
    }
    const resolved = resolveConnection(side, { flags, env: io.env, secret, secretLabel: secretId as string | undefined });
    problems.push(...resolved.problems);
    if (resolved.spec) specs[side] = resolved.spec;
  }
  const schema = values.schema as string;
  if (!/^[A-Za-z_][A-Za-z0-9_$]*$/.test(schema)) problems.push(`--schema '${schema}' is not a plain identifier (letters, digits, _ and $)`);
  return problems.length > 0 ? { problems } : { problems, specs: specs as Record<Side, ConnectionSpec> };
}

function fail(io: CliIo, name: string, json: boolean, err: DbMigrationError): number {
  const label = err.kind === 'refused' ? 'REFUSED' : 'FAILED';
  io.stderr(`mlflow-infra db ${name}: ${label}: ${err.message}\n`);
  if (json) io.stdout(JSON.stringify({ ok: false, refused: err.kind === 'refused', error: err.message }, null, 2) + '\n');
  return err.kind === 'refused' ? EXIT_REFUSED : 1;
}

function makeCommand(
  name: 'migrate' | 'verify',
  runner: Runner,
  extraOptions: Record<string, { type: 'string' | 'boolean'; default?: boolean }>,
  action: (endpoints: DbEndpoints, values: Values) => Promise<{ report: VerifyReport; extra?: Record<string, unknown> }>,
): Command {
  return {
    path: ['db', name],
    summary:
      name === 'migrate'
        ? 'Copy the local MLflow Postgres into RDS (pg_dump/pg_restore over SSL) and verify the copy'
        : 'Compare MLflow databases: exact row counts, tables/columns, alembic version',
    usage: name === 'migrate' ? MIGRATE_USAGE : VERIFY_USAGE,
    async run(argv: string[], io: CliIo): Promise<number> {
      const { values } = parseCommandArgs(argv, { ...commonOptions, ...extraOptions });
      const json = values.json === true;
      const { specs, problems } = await resolveEndpoints(values, io, runner);
      if (!specs) {
        io.stderr(`mlflow-infra db ${name}: invalid connection settings:\n${problems.map((p) => `  - ${p}\n`).join('')}`);
        if (json) io.stdout(JSON.stringify({ ok: false, refused: false, problems }, null, 2) + '\n');
        return 1;
      }
      const endpoints: DbEndpoints = { ...specs, schema: values.schema as string, runner, env: io.env, progress: io.stderr };
      try {
        const { report, extra } = await action(endpoints, values);
        if (json) io.stdout(JSON.stringify({ ...report, ...extra }, null, 2) + '\n');
        else io.stdout(renderReport(report));
        return report.ok ? 0 : 1;
      } catch (err) {
        if (err instanceof DbMigrationError) return fail(io, name, json, err);
        throw err;
      }
    },
  };
}

export function makeDbCommands(runner: Runner = spawnRunner): Command[] {
  return [
    makeCommand(
      'migrate',
      runner,
      { 'dump-file': { type: 'string' }, 'allow-nonempty': { type: 'boolean', default: false } },
      async (endpoints, values) => {
        const result = await migrateDatabase({
          ...endpoints,
          allowNonempty: values['allow-nonempty'] === true,
          ...(typeof values['dump-file'] === 'string' ? { dumpFile: values['dump-file'] } : {}),
        });
        return { report: result.report, extra: { dumpBytes: result.dumpBytes, ...(result.dumpFile ? { dumpFile: result.dumpFile } : {}) } };
      },
    ),
    makeCommand('verify', runner, {}, async (endpoints) => ({ report: await verifyDatabases(endpoints) })),
  ];
}

export const dbCommands: Command[] = makeDbCommands();
