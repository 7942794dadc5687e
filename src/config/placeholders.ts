/**
 * Example values still in the config: the shipped environments hold placeholders the team must
 * replace (`supply:` in the environment files): AWS's documentation account id, `example.com`,
 * the example hosted zone and security group ids, documentation address ranges, an image tag that
 * `docker/build-push` never pushes. On AWS they fail late and half-way (a security group is created,
 * then its rules fail on the made-up source group, and it stays tainted).
 *
 * One detector, three users: synth prints every field still holding an example (a warning: the
 * shipped configs have them, and offline validation needs no real values); `mlflow-infra plan`
 * against a real backend (S3, Terraform Cloud) refuses while the stack carries any; and any other
 * command that changes real infrastructure (a future `apply`/deploy) calls
 * {@link exampleValuesRefusal} the same way.
 */
import { formatPath } from './shape';
import { AnyEnvironmentConfig } from './types';

/** A config field that still holds an example value. */
export interface ExampleValue {
  /** Dotted path starting with the environment name, e.g. `production.edge.hostedZoneId`. */
  readonly path: string;
  readonly value: string;
  /** Which example it is, e.g. `AWS's documentation account id`. */
  readonly what: string;
}

interface ExampleRule {
  readonly what: string;
  readonly pattern: RegExp;
  /** Only fields whose path (without the environment name) matches; absent: every field. */
  readonly field?: RegExp;
}

/** What counts as an example. Every string in the config is tested, so new fields are covered. */
export const EXAMPLE_RULES: readonly ExampleRule[] = [
  { what: "AWS's documentation account id", pattern: /(?<!\d)(?:123456789012|111122223333|444455556666)(?!\d)/ },
  { what: 'a domain reserved for examples (RFC 2606)', pattern: /(?:^|[^a-z0-9-])example\.(?:com|net|org)(?![a-z0-9-])|\.(?:example|test|invalid)(?=$|[/:@?#])/i },
  { what: 'an example id (its digits count 0123456789)', pattern: /0123456789/ },
  { what: 'a documentation address range (RFC 5737)', pattern: /^(?:192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}(?:\/\d{1,2})?$/ },
  {
    what: 'an example image tag (docker/build-push pushes the git commit, and prints the digest to pin with MLFLOW_IMAGE_DIGEST_<ENV>)',
    pattern: /^mlflow-\d+\.\d+\.\d+$/,
    field: /^registry\.image\.tag$/,
  },
];

/** Every string field of `config` that still holds an example value, in field order. */
export function findExampleValues(config: AnyEnvironmentConfig): ExampleValue[] {
  return examplesIn(config, config.name);
}

/** Every string in `root` that holds an example; paths start with `rootName`. */
function examplesIn(root: unknown, rootName: string): ExampleValue[] {
  const found: ExampleValue[] = [];
  const walk = (value: unknown, path: readonly PropertyKey[]): void => {
    if (typeof value === 'string') {
      const field = formatPath('', path).replace(/^\./, '');
      const rule = EXAMPLE_RULES.find((r) => r.pattern.test(value) && (r.field === undefined || r.field.test(field)));
      if (rule) found.push({ path: formatPath(rootName, path), value, what: rule.what });
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key]);
    }
  };
  walk(root, []);
  return found;
}

/** `  - production.edge.hostedZoneId: "Z0123456789ABCDEFGHIJ" holds an example id (...)`, one line per value. */
export function formatExampleValues(values: readonly ExampleValue[]): string {
  return values.map((v) => `  - ${v.path}: ${JSON.stringify(v.value)} holds ${v.what}`).join('\n');
}

/**
 * Synth's warning (not an error: the shipped configs hold examples) for the values
 * {@link findExampleValues} found, or undefined when none remain.
 */
export function exampleValuesWarning(values: readonly ExampleValue[]): string | undefined {
  if (values.length === 0) return undefined;
  return [
    `warning: ${values.length} configuration value${values.length === 1 ? ' still holds' : 's still hold'} an example; supply the real ones (marked "supply:" in src/config/environments/) before planning against a real backend, where \`mlflow-infra plan\` refuses them:`,
    formatExampleValues(values),
  ].join('\n');
}

/**
 * Why `action` (e.g. `plan`) must not run for `stack` against a real backend, or undefined. The
 * refusal names every field of the stack's environment (`configs`, overrides applied) that still
 * holds an example value which reaches the synthesized stack (`stackJson`, the parsed cdk.tf.json
 * about to be planned): what would be deployed, even from a stale cdktf.out. A stack that no
 * environment defines is refused when any of its own strings holds an example.
 */
export function exampleValuesRefusal(action: string, stack: string, stackJson: unknown, configs: readonly AnyEnvironmentConfig[]): string | undefined {
  const text = JSON.stringify(stackJson);
  const config = configs.find((c) => c.stackName === stack);
  const values = config
    ? findExampleValues(config).filter((v) => text.includes(JSON.stringify(v.value).slice(1, -1)))
    : examplesIn(stackJson, `cdktf.out/stacks/${stack}/cdk.tf.json`);
  if (values.length === 0) return undefined;
  return [
    `${action} refused: stack '${stack}' has a real backend and ${values.length} value${values.length === 1 ? '' : 's'} still holding an example; replace ${values.length === 1 ? 'it' : 'them'} in src/config/environments/ (see the "supply:" comments), synth, and run ${action} again:`,
    formatExampleValues(values),
  ].join('\n');
}
