/**
 * Rehearsal against an AWS API emulator: apply for real, re-plan, destroy, with real terraform and
 * the provider mirror pointed at moto (`scripts/moto-server.py`, moto 5.2.1 with our gap patches).
 *
 * Building blocks (for new scenarios, e.g. a cut-over or drift rehearsal):
 * - `startMoto({ hostedZones?, buckets? })` -> `{ endpoint, port, stop(), log() }`: a patched moto
 *   server on a free 127.0.0.1 port (always `await server.stop()` in `finally`).
 * - `prepareEmulatorWorkspace({ endpoint, stackJson | sourceDir (+ services), state?, extraEnv? })`
 *   -> a temporary terraform dir (the offline workspace of `src/terraform/offline.ts`: mirror-only
 *   providers, local backend, random_* stubbed with terraform_data) whose AWS provider sends every
 *   service to the emulator (`endpoints`, path-style S3, `max_retries` 2, dummy credentials and
 *   `TF_VAR_*`). `ws.run(args, onLine?)` runs terraform in it; `ws.cleanup()` removes it.
 * - `terraformInit(ws)`, `terraformApply(ws, { destroy?, extraArgs?, progress })` (progress lines
 *   while it runs; returns counts and errors, never throws for a terraform failure),
 *   `terraformPlanJson(ws, { destroy? })` -> plan-review's `PlanDocument`, `terraformStateJson(ws)`.
 * - `checkReplan(plan, EMULATOR_GAPS)`: "No changes" except allow-listed emulator gaps.
 *
 * Scenarios: `Scenario` = `{ name, description, run(ctx) -> ScenarioOutcome }`; register one in
 * `scenarios.ts` (one import, one entry). `ctx.startMoto` starts the scenario's own emulator,
 * `ctx.progress(line)` reports progress, `OutcomeBuilder` collects checks and failures.
 * `stack(name, { destroy })` is the per-stack scenario (apply, re-plan, destroy).
 */
export * from './moto';
export * from './replan';
export * from './runner';
export * from './scenario';
export * from './scenarios';
export * from './skip';
export * from './terraform';
export * from './workspace';
