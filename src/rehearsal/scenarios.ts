/**
 * The registry of rehearsal scenarios: `npm run rehearse` runs all of them, in parallel, each on
 * its own emulator. Add a scenario by importing its module and adding one entry.
 */
import { STATEFUL_RESOURCE_TYPES } from '../terraform-json/stateful';
import { cutover } from './cutover';
import { Scenario, stack } from './scenario';

export const scenarios: Scenario[] = [
  stack('mlflow-staging', { destroy: { kind: 'clean' } }),
  stack('mlflow-apprunner-staging', { destroy: { kind: 'clean' } }),
  // Production keeps its data: the destroy plan is blocked by the guard for the database and the
  // buckets, and the API refuses to delete the database (deletion protection).
  stack('mlflow-production', { destroy: { kind: 'refused', guardedTypes: STATEFUL_RESOURCE_TYPES.filter((t) => t === 'aws_db_instance' || t === 'aws_s3_bucket') } }),
  // The runbook (migration/README.md) for real: legacy HCL -> migrate -> mlflow-production, identity and data kept; then drift reviews.
  cutover(),
];
