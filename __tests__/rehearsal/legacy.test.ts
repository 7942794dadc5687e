/** The legacy configuration made appliable against the emulator, and its state restored afterwards. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { closingBrace, generatePassword, hclString, prepareLegacySource, restoreRandomInState } from '../../src/rehearsal/legacy';
import { LEGACY_DIR, LEGACY_STATE } from '../migration/helpers';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'rehearsal-legacy-'));

test('closingBrace skips braces inside strings, templates and comments', () => {
  const text = 'x { a = "{[}]" # }\n b = "${jsonencode({ k = 1 })}" /* } */ c { d = 1 } }';
  expect(text.slice(0, closingBrace(text, 2))).toBe(text);
  expect(() => closingBrace('{ "}" ', 0)).toThrow('the block opened at offset 0 is never closed');
});

test('HCL strings keep template markers literal', () => {
  expect(hclString('a${b}%{c}"\\')).toBe('"a$${b}%%{c}\\"\\\\"');
});

test('passwords use only the enabled classes and at least one of each', () => {
  const p = { length: 32, special: true, upper: true, lower: true, numeric: true, overrideSpecial: '!#' };
  for (let i = 0; i < 20; i++) {
    const v = generatePassword(p);
    expect(v).toHaveLength(32);
    expect(v).toMatch(/^[A-Za-z0-9!#]+$/);
    for (const re of [/[A-Z]/, /[a-z]/, /[0-9]/, /[!#]/]) expect(v).toMatch(re);
  }
  expect(() => generatePassword({ ...p, length: 3 })).toThrow('length 3 cannot hold one character of each of 4 enabled class(es)');
});

describe('the real legacy configuration', () => {
  const out = tmp();
  const prepared = prepareLegacySource(LEGACY_DIR, out);
  const rds = fs.readFileSync(path.join(out, 'rds.tf'), 'utf8');
  const providers = fs.readFileSync(path.join(out, 'providers.tf'), 'utf8');

  test('random_password.db_password becomes a terraform_data stand-in with its own length and characters', () => {
    expect(prepared.passwords.map((p) => [p.name, p.file, p.length, p.overrideSpecial])).toEqual([['db_password', 'rds.tf', 32, '!#$%&*()-_=+[]{}<>:?']]);
    const value = prepared.passwords[0].value;
    expect(value).toMatch(/^[A-Za-z0-9!#$%&*()\-_=+[\]{}<>:?]{32}$/);
    expect(rds).toContain(`resource "terraform_data" "random_password_db_password" {`);
    expect(rds).toContain(`input = ${hclString(value)}`);
    expect(rds).not.toMatch(/resource "random_password"|random_password\.db_password\.result/);
    expect(rds.match(/terraform_data\.random_password_db_password\.output/g)).toHaveLength(2); // DB password and secret
  });

  test('the random provider leaves required_providers; the rest is copied unchanged', () => {
    expect(providers).not.toMatch(/random/);
    expect(providers).toContain('source  = "hashicorp/aws"');
    for (const f of ['vpc.tf', 'ecs.tf', 'security_groups.tf']) expect(fs.readFileSync(path.join(out, f), 'utf8')).toBe(fs.readFileSync(path.join(LEGACY_DIR, f), 'utf8'));
  });

  test('the restored state holds random_password.db_password as the real provider writes it', () => {
    // The shape of the real legacy state, with the stand-in the prepared copy's apply writes.
    const real = JSON.parse(fs.readFileSync(LEGACY_STATE, 'utf8'));
    const realRandom = real.resources.find((r: { type: string }) => r.type === 'random_password');
    const applied = {
      ...real,
      resources: [
        ...real.resources.filter((r: { type: string }) => r.type !== 'random_password'),
        {
          mode: 'managed',
          type: 'terraform_data',
          name: 'random_password_db_password',
          provider: 'provider["terraform.io/builtin/terraform"]',
          instances: [{ schema_version: 0, attributes: { id: 'x', input: { value: prepared.passwords[0].value, type: 'string' }, output: { value: prepared.passwords[0].value, type: 'string' } } }],
        },
      ],
    };
    const restored = restoreRandomInState(applied, prepared.passwords);
    const r = restored.resources.find((x: { type: string }) => x.type === 'random_password');
    expect(r).toMatchObject({ mode: 'managed', name: 'db_password', provider: realRandom.provider });
    expect(Object.keys(r.instances[0].attributes).sort()).toEqual([...Object.keys(realRandom.instances[0].attributes), 'keepers'].sort());
    expect(r.instances[0]).toMatchObject({ schema_version: 3, attributes: { result: prepared.passwords[0].value, length: 32, override_special: '!#$%&*()-_=+[]{}<>:?' }, sensitive_attributes: realRandom.instances[0].sensitive_attributes });
    expect(restored.resources.filter((x: { type: string }) => x.type === 'terraform_data')).toEqual([]);
    expect(() => restoreRandomInState(real, prepared.passwords)).toThrow('the legacy state holds no terraform_data.random_password_db_password: was the prepared copy applied?');
  });
});

test('random types without a stand-in and non-literal arguments are refused, naming the file', () => {
  const src = tmp();
  fs.writeFileSync(path.join(src, 'main.tf'), 'resource "random_id" "x" {\n  byte_length = 4\n}\n');
  expect(() => prepareLegacySource(src, tmp())).toThrow('main.tf: random_id.x has no stand-in (only random_password is supported)');
  fs.writeFileSync(path.join(src, 'main.tf'), 'resource "random_password" "p" {\n  length = var.n\n}\n');
  expect(() => prepareLegacySource(src, tmp())).toThrow('main.tf: random_password.p: length = var.n is not a literal');
});
