/**
 * An MLflow-shaped PostgreSQL database for the migration tests: MLflow's own schema dump
 * (../shared/fixtures/mlflow/latest_schema.sql, see SOURCES.md there) adapted to PostgreSQL the way
 * MLflow's alembic migrations create it there (boolean CHECKs, a SERIAL-style experiment id
 * sequence, the run_uuid indexes), an alembic version, and realistic rows: unicode names, large
 * texts near the column limits, tens of thousands of metric points.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { sqlLiteral as sqlText } from '../../src/db-migration/postgres';

export const SCHEMA_FILE = resolve(__dirname, '../../../shared/fixtures/mlflow/latest_schema.sql');

/** The alembic head matching latest_schema.sql (trace tables present). */
export const ALEMBIC_VERSION = '867495a8f9d4';

export const EXPERIMENTS = 6;
export const RUNS_PER_EXPERIMENT = 8;
export const METRIC_KEYS = ['loss', 'val_loss', 'auc'] as const;
export const STEPS = 300;
export const RUNS = (EXPERIMENTS - 1) * RUNS_PER_EXPERIMENT;
export const METRIC_ROWS = RUNS * METRIC_KEYS.length * STEPS;

/** MLflow's schema as PostgreSQL DDL. */
export function postgresSchemaSql(): string {
  if (!existsSync(SCHEMA_FILE)) {
    throw new Error(`MLflow schema fixture not found at ${SCHEMA_FILE} (shared/ must sit beside the repository)`);
  }
  const raw = readFileSync(SCHEMA_FILE, 'utf8');
  const statements = raw
    .split(/\n\s*\n/)
    .map((s) => s.trim())
    .filter((s) => s.startsWith('CREATE TABLE'))
    .map((s) => s.replace(/CHECK \(is_nan IN \(0, 1\)\)/g, 'CHECK (is_nan IN (false, true))') + ';');
  if (statements.length < 15) throw new Error(`expected MLflow's ~19 CREATE TABLE statements in ${SCHEMA_FILE}, found ${statements.length}`);
  return [
    ...statements,
    // As MLflow's SQLAlchemy models create them on PostgreSQL (experiment_id is autoincrement there).
    'CREATE SEQUENCE experiments_experiment_id_seq OWNED BY experiments.experiment_id;',
    "ALTER TABLE experiments ALTER COLUMN experiment_id SET DEFAULT nextval('experiments_experiment_id_seq');",
    'CREATE INDEX index_latest_metrics_run_uuid ON latest_metrics (run_uuid);',
    'CREATE INDEX index_params_run_uuid ON params (run_uuid);',
    'CREATE INDEX index_tags_run_uuid ON tags (run_uuid);',
    'CREATE INDEX index_metrics_run_uuid ON metrics (run_uuid);',
  ].join('\n');
}

/** Realistic rows. Deterministic: the same rows on every run. */
export function seedSql(): string {
  const bigText = 'Ünïcødé ✓ 模型 🚀 '.repeat(300).slice(0, 4900);
  return `
INSERT INTO alembic_version (version_num) VALUES ('${ALEMBIC_VERSION}');
INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage, creation_time, last_update_time)
SELECT g, CASE g WHEN 0 THEN 'Default' WHEN 1 THEN 'fraud-scoring/ xgboost — Betrugserkennung 🚀' WHEN 2 THEN '詐欺検出 実験'
              WHEN 3 THEN 'quote''s "and" back\\slash' ELSE 'experiment-' || g END,
       's3://fraud-scoring-models-123456789012/mlflow-artifacts/' || g,
       CASE WHEN g = 5 THEN 'deleted' ELSE 'active' END,
       1700000000000 + g, 1700000000000 + g * 2
FROM generate_series(0, ${EXPERIMENTS - 1}) AS g;
SELECT setval('experiments_experiment_id_seq', ${EXPERIMENTS - 1});
INSERT INTO experiment_tags (key, value, experiment_id)
SELECT 'mlflow.note.content', ${sqlText(bigText)}, experiment_id FROM experiments;
INSERT INTO runs (run_uuid, name, source_type, source_name, entry_point_name, user_id, status, start_time, end_time,
                  source_version, lifecycle_stage, artifact_uri, experiment_id, deleted_time)
SELECT md5('run' || e.experiment_id || '-' || r), 'run-' || r || ' ✨ ' || e.name, 'LOCAL', 'train.py', 'main', 'анна@example.com',
       (ARRAY['FINISHED', 'FAILED', 'RUNNING', 'KILLED'])[1 + r % 4], 1700000000000 + r * 1000, 1700000000000 + r * 2000,
       md5('v' || r), CASE WHEN r = 7 THEN 'deleted' ELSE 'active' END,
       's3://fraud-scoring-models-123456789012/mlflow-artifacts/' || e.experiment_id || '/' || md5('run' || e.experiment_id || '-' || r) || '/artifacts',
       e.experiment_id, CASE WHEN r = 7 THEN 1700000009999 END
FROM experiments e CROSS JOIN generate_series(0, ${RUNS_PER_EXPERIMENT - 1}) AS r WHERE e.experiment_id > 0;
INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan)
SELECT k, CASE WHEN s = 13 AND k = 'auc' THEN 'NaN'::float ELSE 1.0 / (s + 1) + length(run_uuid) * 1e-6 END,
       1700000000000 + s, run_uuid, s, s = 13 AND k = 'auc'
FROM runs CROSS JOIN generate_series(0, ${STEPS - 1}) AS s CROSS JOIN unnest(ARRAY['${METRIC_KEYS.join("','")}']) AS k;
INSERT INTO latest_metrics (key, value, timestamp, step, is_nan, run_uuid)
SELECT key, value, timestamp, step, is_nan, run_uuid FROM metrics WHERE step = ${STEPS - 1};
INSERT INTO params (key, value, run_uuid)
SELECT p, CASE p WHEN 'feature_list' THEN repeat('feature_ß_', 799) ELSE 'λ=' || length(run_uuid) END, run_uuid
FROM runs CROSS JOIN unnest(ARRAY['learning_rate', 'max_depth', 'feature_list']) AS p;
INSERT INTO tags (key, value, run_uuid)
SELECT t, CASE t WHEN 'mlflow.note.content' THEN ${sqlText(bigText)} ELSE 'utilisateur-é-' || run_uuid END, run_uuid
FROM runs CROSS JOIN unnest(ARRAY['mlflow.user', 'mlflow.source.name', 'mlflow.note.content']) AS t;
INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, dataset_source_type, dataset_source, dataset_schema, dataset_profile)
SELECT md5('ds' || experiment_id), experiment_id, 'transactions-2024 données', left(md5('digest' || experiment_id), 8), 's3',
       '{"uri": "s3://fraud-scoring-data/transactions.parquet"}', '{"mlflow_colspec": []}', '{"num_rows": 1000000}'
FROM experiments WHERE experiment_id > 0;
INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id)
SELECT md5('in' || run_uuid), 'DATASET', md5('ds' || experiment_id), 'RUN', run_uuid FROM runs;
INSERT INTO input_tags (input_uuid, name, value) SELECT md5('in' || run_uuid), 'mlflow.data.context', 'training' FROM runs;
INSERT INTO registered_models (name, creation_time, last_updated_time, description)
VALUES ('fraud-scorer', 1700000000000, 1700000005000, ${sqlText(bigText)}),
       ('détecteur-de-fraude 🕵', 1700000000001, 1700000005001, 'Modèle « champion »');
INSERT INTO registered_model_tags (key, value, name) VALUES ('team', 'risk ⚖', 'fraud-scorer'), ('team', 'risque', 'détecteur-de-fraude 🕵');
INSERT INTO model_versions (name, version, creation_time, last_updated_time, description, user_id, current_stage, source, run_id, status, run_link, storage_location)
SELECT m.name, v, 1700000000000 + v, 1700000000000 + v, 'v' || v, 'анна@example.com',
       CASE WHEN v = 3 THEN 'Production' ELSE 'None' END, 'runs:/' || (SELECT min(run_uuid) FROM runs) || '/model',
       (SELECT min(run_uuid) FROM runs), 'READY', '', 's3://fraud-scoring-models-123456789012/models/' || v
FROM registered_models m CROSS JOIN generate_series(1, 3) AS v;
INSERT INTO model_version_tags (key, value, name, version) SELECT 'validated', 'true', name, version FROM model_versions;
INSERT INTO registered_model_aliases (alias, version, name) VALUES ('champion', 3, 'fraud-scorer'), ('challenger', 2, 'fraud-scorer');
INSERT INTO trace_info (request_id, experiment_id, timestamp_ms, execution_time_ms, status)
SELECT 'tr-' || g, 1 + g % ${EXPERIMENTS - 1}, 1700000000000 + g, 20 + g, 'OK' FROM generate_series(1, 25) AS g;
INSERT INTO trace_tags (key, value, request_id) SELECT 'mlflow.traceName', 'predict ⏱', request_id FROM trace_info;
INSERT INTO trace_request_metadata (key, value, request_id) SELECT 'mlflow.trace_schema.version', '2', request_id FROM trace_info;
`;
}
