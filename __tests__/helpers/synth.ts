import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { Testing } from 'cdktf';
import { AnyEnvironmentConfig } from '../../src/config/types';
import { buildApp } from '../../src/app';
import { APP_CONTEXT } from '../../src/synth';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Synthesizes one environment in memory (as the app builds it: with `imports/<env>.json`) and returns the parsed cdk.tf.json. */
export function synthStack(config: AnyEnvironmentConfig): Json {
  const app = Testing.app({ context: APP_CONTEXT });
  const [stack] = buildApp(app, [config]);
  return JSON.parse(Testing.synth(stack));
}

/** The one resource of a type and name, failing clearly when it is missing. */
export function resource(stack: Json, type: string, name: string): Json {
  const r = stack.resource?.[type]?.[name];
  if (!r) throw new Error(`${type}.${name} is not in the stack; it has ${Object.keys(stack.resource?.[type] ?? {}).join(', ') || 'no ' + type}`);
  return r;
}

export function resourcesOfType(stack: Json, type: string): Record<string, Json> {
  return stack.resource?.[type] ?? {};
}

/** `${aws_x.y.attr}` */
export function ref(address: string, attribute: string): string {
  return `\${${address}.${attribute}}`;
}

/** Every Terraform address in the stack (resources, data sources, variables, outputs), sorted. */
export function addresses(stack: Json): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(stack.resource ?? {})) for (const name of Object.keys(byName as object)) out.push(`${type}.${name}`);
  for (const [type, byName] of Object.entries(stack.data ?? {})) for (const name of Object.keys(byName as object)) out.push(`data.${type}.${name}`);
  for (const name of Object.keys(stack.variable ?? {})) out.push(`var.${name}`);
  for (const name of Object.keys(stack.output ?? {})) out.push(`output.${name}`);
  return out.sort();
}

/** Parses a JSON policy document string. */
export function policy(text: string): Json {
  return JSON.parse(text);
}

/**
 * The committed address contract in `file`. With UPDATE_ADDRESS_CONTRACTS=1 it is first rewritten
 * from `actual` (a deliberate address change; review the diff). That makes the comparison pass by
 * construction, so it is refused under CI=true: CI must compare against what was committed.
 */
export function addressContract(file: string, actual: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  if (env.UPDATE_ADDRESS_CONTRACTS === '1') {
    if (env.CI === 'true') {
      throw new Error(
        'UPDATE_ADDRESS_CONTRACTS=1 rewrites the address contract it then compares against, so the check could not fail: refused under CI=true. ' +
          'Update the contracts locally, review the diff, and commit them.',
      );
    }
    fs.writeFileSync(file, actual.join('\n') + '\n');
  }
  return fs.readFileSync(file, 'utf8').trim().split('\n');
}

/** Files of `dir` (relative paths) that git tracks, or undefined outside a git checkout. */
export function trackedFiles(dir: string): string[] | undefined {
  const result = spawnSync('git', ['ls-files', '-z', '--', '.'], { cwd: dir, encoding: 'utf8' });
  if (result.status !== 0) return undefined;
  return result.stdout.split('\0').filter((f) => f !== '');
}
