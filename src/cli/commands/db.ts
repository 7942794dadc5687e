/**
 * `mlflow-infra db migrate` and `mlflow-infra db verify`: move the local MLflow database into RDS
 * and prove the copy is complete. Library: src/db-migration/. Runbook: migration/db/README.md.
 */
import { CliIo, Command, OptionDefs, parseCommandArgs, usageText } from '../command';
import { ConnectionFields, ConnectionSpec, DatabaseSecret, resolveConnection, Side } from '../../db-migration/connection';
import { DbEndpoints, migrateDatabase, verifyDatabases } from '../../db-migration/migrate';
import { DbMigrationError } from '../../db-migration/postgres';
import { Runner, spawnRunner } from '../../db-migration/runner';
import { fetchDatabaseSecret } from '../../db-migration/secrets';
import { renderReport, VerifyReport } from '../../db-migration/verify';

const SIDES: readonly Side[] = ['source', 'target'];
const FIELDS = ['host', 'port', 'user', 'dbname', 'sslmode', 'sslrootcert'] as const;

/** Each connection option, for either side: its value name and help (listed once as `--<side>-<field>`). */
const CONNECTION_FIELD_HELP: Readonly<Record<(typeof FIELDS)[number] | 'secret-arn', { value: string; help: string }>> = {
  host: { value: '<host>', help: "the server's host name or address" },
  port: { value: '<port>', help: "the server's port" },
  user: { value: '<user>', help: 'the role to log in as' },
  dbname: { value: '<db>', help: 'the database' },
  sslmode: { value: '<mode>', help: 'libpq sslmode: disable, allow, prefer, require, verify-ca or verify-full' },
  sslrootcert: { value: '<file>', help: 'the CA certificate for verify-ca and verify-full' },
  'secret-arn': {
    value: '<arn>',
    help: 'Secrets Manager secret read with the aws CLI: JSON with username,\npassword and optionally host, port, dbname (the RDS-managed secret has only\nusername/password: give the rest as flags)',
  },
};

const connectionOptions = Object.fromEntries(
  SIDES.flatMap((side) =>
    Object.entries(CONNECTION_FIELD_HELP).map(([f, { value, help }]) => [`${side}-${f}`, { type: 'string' as const, value, help, label: `--<side>-${f} ${value}` }]),
  ),
) as Record<`${Side}-${(typeof FIELDS)[number] | 'secret-arn'}`, { type: 'string'; value: string; help: string; label: string }>;

const commonOptions = {
  ...connectionOptions,
  schema: { type: 'string' as const, default: 'public', value: '<name>', help: "schema holding MLflow's tables (default public)" },
  json: { type: 'boolean' as const, default: false, help: 'print the result as JSON on stdout' },
};

const CONNECTION_HELP = `Connections (<side> is source or target; for each side, later sources win):
  defaults          source: localhost:5433, user mlflow_user, db mlflow_db, sslmode prefer
                    (the docker-compose database); target: port 5432, sslmode require
  --<side>-secret-arn <arn>   the secret's fields
  <SIDE>_DATABASE_URL         env: libpq URI postgresql://user:password@host:port/db?sslmode=...
  --<side>-host, --<side>-port, --<side>-user, --<side>-dbname,
  --<side>-sslmode, --<side>-sslrootcert
  Passwords: env SOURCE_PGPASSWORD / TARGET_PGPASSWORD, else the URI, else the secret. There is no
  password flag; child processes get it through a private PGPASSFILE, never on their command line.
  The target must use sslmode require, verify-ca or verify-full, and its session must be encrypted.`;

const MIGRATE_OPTIONS = {
  'dump-file': { type: 'string', value: '<path>', help: 'keep the dump there (must not exist); default: a temporary file, deleted' },
  'allow-nonempty': {
    type: 'boolean',
    default: false,
    help: 'accept a target schema that already has tables unrelated to MLflow; a target\nholding an MLflow database (alembic_version rows) is always refused',
  },
} as const;

const MIGRATE_USAGE = usageText({
  synopsis: 'Usage: mlflow-infra db migrate [connection options] [--dump-file <path>] [--allow-nonempty] [--json]',
  about: `Copies the local MLflow database into RDS: checks both sides, pg_dump --format=custom,
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction into the empty target,
ANALYZE, then the same verification as \`db verify\`. Progress goes to stderr. The source is only read.`,
  options: { ...MIGRATE_OPTIONS, ...commonOptions },
  after: `${CONNECTION_HELP}

Exit codes: 0 migrated and verified; 1 invalid settings, a failed step, or verification found
differences (table of differences printed); 3 refused by a safety check (target not encrypted or
not empty, source not an MLflow database, target PostgreSQL older than the source); 64 usage error.`,
});

const VERIFY_USAGE = usageText({
  synopsis: 'Usage: mlflow-infra db verify [connection options] [--json]',
  about: `Compares source and target: exact row counts (count(*)) of every table in the schema, the set of
tables and their columns, constraints and indexes, sequence positions, and the alembic version
(SELECT version_num FROM alembic_version). Prints the per-table counts, or a table of differences.`,
  options: commonOptions,
  after: `${CONNECTION_HELP}

Exit codes: 0 identical; 1 differences found, invalid settings or a failed query; 3 target refused
(not encrypted); 64 usage error.`,
});

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

function makeCommand(
  name: 'migrate' | 'verify',
  runner: Runner,
  extraOptions: OptionDefs,
  action: (endpoints: DbEndpoints, values: Values) => Promise<{ report: VerifyReport; extra?: Record<string, unknown> }>,
): Command {
  return {
    path: ['db', name],
    summary:
      name === 'migrate'
        ? 'Copy the local MLflow Postgres into RDS (pg_dump/pg_restore over SSL) and verify the copy'
        : 'Compare MLflow databases: exact row counts, tables/columns, alembic version',
    options: { ...extraOptions, ...commonOptions },
    usage: name === 'migrate' ? MIGRATE_USAGE : VERIFY_USAGE,
    async run(argv: string[], io: CliIo): Promise<number> {
      const { values } = parseCommandArgs(argv, { ...extraOptions, ...commonOptions });
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
        // The dispatcher prints the error (REFUSED: or FAILED:) and exits with its code; --json also gets it on stdout.
        if (json && err instanceof DbMigrationError) io.stdout(JSON.stringify({ ok: false, refused: err.kind === 'refused', error: err.message }, null, 2) + '\n');
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
      MIGRATE_OPTIONS,
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
