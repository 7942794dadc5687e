/**
 * The shape of a config is checked at run time (synth does not type-check): unknown keys, wrong
 * types and missing fields are problems with the field's path, reported together with the value
 * checks in the one `invalid configuration (N problems)` list.
 */
import { apprunnerStaging } from '../../src/config/environments/apprunner-staging';
import { production } from '../../src/config/environments/production';
import { ecsEnvironmentSchema, appRunnerEnvironmentSchema } from '../../src/config/schema';
import { ConfigError, assertValidEnvironments, validateEnvironment } from '../../src/config/validate';
import { closest } from '../../src/config/closest';

/** A config as it arrives at synth: anything the transpiler let through. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;
const prod = (patch: (c: Loose) => Loose) => patch(structuredClone(production)) as typeof production;

test('an unknown key is a problem at its path, with the key it was probably meant to be and the allowed ones', () => {
  const problems = validateEnvironment(prod((c) => ({ ...c, service: { ...c.service, desiredCont: 3 } })));
  expect(problems).toEqual([
    {
      path: 'production.service.desiredCont',
      value: 3,
      message: expect.stringMatching(/^is not a field of production\.service: did you mean "desiredCount"\? allowed: cpu, memoryMiB, cpuArchitecture, desiredCount, /),
    },
  ]);
});

test('a wrong type is a problem at its path: cpu "512" is not a number', () => {
  const problems = validateEnvironment(prod((c) => ({ ...c, service: { ...c.service, cpu: '512' } })));
  expect(problems).toEqual([{ path: 'production.service.cpu', value: '512', message: 'must be a number, not a string' }]);
  expect(() => assertValidEnvironments([prod((c) => ({ ...c, service: { ...c.service, cpu: '512' } }))])).toThrow(
    'invalid configuration (1 problem):\n  - production.service.cpu: "512" must be a number, not a string',
  );
});

test.each([
  ['a missing field', (c: Loose) => ({ ...c, database: { ...c.database, name: undefined } }), 'production.database.name', undefined, 'is required: a string'],
  ['a boolean as a string', (c: Loose) => ({ ...c, database: { ...c.database, multiAz: 'true' } }), 'production.database.multiAz', 'true', 'must be a boolean (true or false), not a string'],
  ['a list as a string', (c: Loose) => ({ ...c, network: { ...c.network, availabilityZones: 'us-east-1a' } }), 'production.network.availabilityZones', 'us-east-1a', 'must be a list, not a string'],
  ['a list item of the wrong type', (c: Loose) => ({ ...c, alarms: { emails: [42] } }), 'production.alarms.emails[0]', 42, 'must be a string, not a number'],
  ['an unknown backend type', (c: Loose) => ({ ...c, backend: { type: 'gcs', bucket: 'b' } }), 'production.backend.type', 'gcs', 'must be one of "local", "s3", "cloud"'],
  ['an unknown runtime', (c: Loose) => ({ ...c, runtime: 'fargate' }), 'production.runtime', 'fargate', 'must be one of "ecs" (the default), "apprunner"'],
  ['an image that is neither digest nor tag', (c: Loose) => ({ ...c, registry: { ...c.registry, image: { digst: 'sha256:x' } } }), 'production.registry.image', { digst: 'sha256:x' }, 'must be { digest: "sha256:<64 hex>" } or { tag: "<immutable tag>" }'],
  ['a tag value that is not a string', (c: Loose) => ({ ...c, tags: { Owner: 7 } }), 'production.tags.Owner', 7, 'must be a string, not a number'],
  ['a key of the other auth type', (c: Loose) => ({ ...c, edge: { ...c.edge, auth: { ...c.edge.auth, clientId: 'x' } } }), 'production.edge.auth.clientId', 'x', 'is not a field of production.edge.auth: allowed: type, domainPrefix, userPoolName, sessionTimeoutSeconds'],
])('%s', (_name, patch, path, value, message) => {
  expect(validateEnvironment(prod(patch))).toEqual([{ path, value, message }]);
});

test('shape and value problems come together in one list; value checks that cannot read a broken field do not stop the report', () => {
  const bad = prod((c) => ({
    ...c,
    accountId: '1234',
    network: { ...c.network, availabilityZones: 'us-east-1a' },
    service: { ...c.service, cpu: '512', desiredCont: 3, desiredCount: 1, autoscaling: undefined },
    waf: { logRetentionDays: 90 },
  }));
  let message = '';
  try {
    assertValidEnvironments([bad]);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    message = (err as Error).message;
  }
  expect(message).toMatch(/^invalid configuration \(\d+ problems\):\n/);
  expect(message).toContain('  - production.network.availabilityZones: "us-east-1a" must be a list, not a string');
  expect(message).toContain('  - production.service.cpu: "512" must be a number, not a string');
  expect(message).toContain('  - production.service.desiredCont: 3 is not a field of production.service: did you mean "desiredCount"?');
  expect(message).toContain('  - production.accountId: "1234" must be a 12-digit AWS account id');
  // The network checks stop at the list they cannot read; the service and WAF checks still run.
  expect(message).toContain('  - production.service.desiredCount: 1 must be at least 2 in production');
  expect(message).toContain('  - production.waf.logRetentionDays: 90 must be at least 365 in production');
  // A value problem never repeats a field whose type is wrong.
  expect(message.match(/production\.network\.availabilityZones/g)).toHaveLength(1);
});

test('App Runner: keys of the ECS runtime keep their own explanation (no second, generic problem)', () => {
  const problems = validateEnvironment({ ...apprunnerStaging, edge: { ...apprunnerStaging.edge, loadBalancerName: 'alb' } } as Loose);
  expect(problems).toEqual([{ path: 'apprunner-staging.edge.loadBalancerName', value: 'alb', message: expect.stringMatching(/^is not supported with runtime "apprunner": App Runner has no ALB/) }]);
  const unknown = validateEnvironment({ ...apprunnerStaging, appRunner: { ...apprunnerStaging.appRunner, minInstances: 1 } } as Loose);
  expect(unknown).toEqual([{ path: 'apprunner-staging.appRunner.minInstances', value: 1, message: expect.stringContaining('is not a field of apprunner-staging.appRunner: allowed: serviceName, cpu,') }]);
});

test('something that is not an object at all is one problem, not a crash', () => {
  expect(validateEnvironment(null as Loose)).toEqual([{ path: '<unnamed>', value: null, message: 'must be an object, not null' }]);
});

/** Every object in the schema, with its path. */
function objects(schema: unknown, path: string, out: [string, Record<string, unknown>][] = []): [string, Record<string, unknown>][] {
  const def = (schema as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  if (def.type === 'object') {
    out.push([path, def]);
    for (const [key, inner] of Object.entries(def.shape as Record<string, unknown>)) objects(inner, `${path}.${key}`, out);
  } else if (def.type === 'union') (def.options as unknown[]).forEach((o, i) => objects(o, `${path}|${i}`, out));
  else if (def.type === 'array') objects(def.element, `${path}[]`, out);
  else if (def.type === 'record') objects(def.valueType, `${path}{}`, out);
  else if (def.innerType) objects(def.innerType, path, out);
  return out;
}

test('every object of the schema is strict (a new section added with z.object would let typos through)', () => {
  const all = [...objects(ecsEnvironmentSchema, 'ecs'), ...objects(appRunnerEnvironmentSchema, 'apprunner')];
  expect(all.length).toBeGreaterThan(30);
  const loose = all.filter(([, def]) => (def.catchall as { _zod?: { def: { type: string } } } | undefined)?._zod?.def.type !== 'never').map(([p]) => p);
  expect(loose).toEqual([]);
});

test('"did you mean" only suggests a close name', () => {
  expect(closest('desiredCont', ['desiredCount', 'cpu'])).toBe('desiredCount');
  expect(closest('MLFLOW_IMAGE_DIGEST_PROD', ['MLFLOW_IMAGE_DIGEST_STAGING', 'MLFLOW_IMAGE_DIGEST_PRODUCTION'])).toBe('MLFLOW_IMAGE_DIGEST_PRODUCTION');
  expect(closest('zone', ['desiredCount', 'cpu'])).toBeUndefined();
});
