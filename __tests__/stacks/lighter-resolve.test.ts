/**
 * resolveTokensWithLighterContexts (src/cdktf-internals.ts), which synth and the tests use:
 * cdktf's resolve without a full context per key and element and without formatting each node's
 * path. It must write what cdktf's own resolve writes, token kinds and contexts included
 * (expressions that suppress braces, iterators, list, number and map tokens, escapes, lazy
 * values, post-processors), and throw the same errors with the same paths.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformIterator, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token, Testing, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { environments } from '../../src/config/environments';
import { buildApp } from '../../src/app';
import { resolveTokensWithLighterContexts } from '../../src/cdktf-internals';
import { APP_CONTEXT } from '../../src/synth';

afterAll(() => resolveTokensWithLighterContexts(true)); // as the jest setup leaves it

/** Runs `fn` with cdktf's resolve and with the lighter one; returns both results (or errors). */
function both<T>(fn: () => T): { cdktf: T | string; lighter: T | string } {
  const run = (enabled: boolean): T | string => {
    resolveTokensWithLighterContexts(enabled);
    try {
      return fn();
    } catch (e) {
      return `threw: ${(e as Error).message}`;
    } finally {
      resolveTokensWithLighterContexts(true);
    }
  };
  return { cdktf: run(false), lighter: run(true) };
}

function tokenZoo(): string {
  const app = Testing.app({ stackTraces: false });
  const stack = new TerraformStack(app, 'zoo');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const names = new TerraformVariable(stack, 'names', { type: 'list(string)', default: ['a', 'b'] });
  const port = new TerraformVariable(stack, 'port', { type: 'number', default: 5000 });
  const tags = new TerraformVariable(stack, 'tags', { type: 'map(string)', default: { team: 'fraud' } });
  const bucket = new S3Bucket(stack, 'bucket', {
    bucket: `logs-\${escaped}-${Fn.lower(Fn.join('-', names.listValue))}`,
    tags: Token.asStringMap(Fn.merge([tags.value, { count: Token.asString(Fn.lengthOf(names.listValue)) }])),
    forceDestroy: Token.asAny(Fn.contains(names.listValue, 'a')) as unknown as boolean,
  });
  const each = TerraformIterator.fromList(names.listValue);
  new SsmParameter(stack, 'each', { forEach: each, name: `/mlflow/${each.value}`, type: 'String', value: Fn.upper(Token.asString(each.value)) });
  const rules = TerraformIterator.fromList(new TerraformVariable(stack, 'rules', { type: 'list(object({ port = number }))' }).listValue);
  new SecurityGroup(stack, 'sg', {
    name: 'zoo',
    ingress: [{ fromPort: port.numberValue, toPort: Token.asNumber(Fn.max([port.numberValue, 8080])), protocol: 'tcp', cidrBlocks: Fn.concat([names.listValue, ['10.0.0.0/8']]) }],
  });
  new SecurityGroup(stack, 'dyn', { name: 'dyn', ingress: rules.dynamic({ from_port: rules.getNumber('port'), to_port: rules.getNumber('port'), protocol: 'tcp', cidr_blocks: ['0.0.0.0/0'] }) });
  const local = new TerraformLocal(stack, 'merged', Fn.merge([tags.value, { extra: `${bucket.arn}/x` }]));
  new TerraformOutput(stack, 'out', {
    value: { arn: bucket.arn, list: Fn.element(names.listValue, 0), lazy: Lazy.stringValue({ produce: () => `${bucket.id}:${port.numberValue + 0}` }), local: local.asStringMap, joined: Fn.join('-', [bucket.arn, 'x', Token.asString(port.numberValue)]), inMap: Fn.jsonencode({ a: [bucket.arn, { b: bucket.id }] }), nested: [[1, 2], { a: true }] },
  });
  return Testing.synth(stack);
}

test('the same Terraform JSON as cdktf for token kinds, expressions, iterators and escapes', () => {
  const { cdktf, lighter } = both(tokenZoo);
  expect(typeof cdktf).toBe('string');
  expect(cdktf).not.toMatch(/^threw/);
  expect(lighter).toBe(cdktf);
  // What the zoo exercises: braces suppressed inside expressions, iterators, escapes, number tokens.
  expect(cdktf).toContain('"${merge(var.tags, {\\"extra\\" = \\"${aws_s3_bucket.bucket.arn}/x\\"})}"');
  expect(cdktf).toContain('${[ for key, val in toset(var.rules): {\\"from_port\\" = val.port');
  expect(cdktf).toContain('"logs-${escaped}-${lower(join(\\"-\\", var.names))}"');
  expect(cdktf).toContain('"lazy": "${aws_s3_bucket.bucket.id}:${var.port}"');
});

test('the same files as cdktf for the shipped app', () => {
  const read = (dir: string): Record<string, string> =>
    Object.fromEntries(
      fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]),
    );
  const dirs: string[] = [];
  const { cdktf, lighter } = both(() => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-resolve-'));
    dirs.push(dir);
    const app = new App({ outdir: dir, stackTraces: false, skipValidation: true, context: APP_CONTEXT });
    buildApp(app, environments);
    app.synth();
    return read(dir);
  });
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
  expect(Object.keys(cdktf as object).length).toBeGreaterThan(3);
  expect(lighter).toEqual(cdktf);
});

test.each<[string, (scope: Construct) => unknown]>([
  ['a function', () => ({ a: { b: [0, () => 1] } })],
  ['a construct', (scope) => ({ a: [{ b: scope }] })],
  ['a list token in a string', () => ({ a: `x${Token.asList(Fn.split(',', 'a,b'))}` })],
  ['a key that resolves to a number', () => ({ a: { [Token.asString(Lazy.numberValue({ produce: () => 1 }))]: 'x' } })],
  ['a circular value', () => {
    const loop: Record<string, unknown> = {};
    loop.again = Lazy.anyValue({ produce: () => loop });
    return { a: loop };
  }],
])('the same error as cdktf for %s', (_name, value) => {
  const stack = new TerraformStack(Testing.app({ stackTraces: false }), 'bad');
  const bad = value(stack); // once: both resolve the same tokens
  const { cdktf, lighter } = both(() => JSON.stringify(Tokenization.resolve(bad, { scope: stack, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) })));
  expect(cdktf).toMatch(/^threw: /);
  expect(lighter).toBe(cdktf);
});
