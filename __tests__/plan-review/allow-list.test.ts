/**
 * The allow-list of stateful destroys: which addresses are valid entries, and how several files
 * are merged (src/plan-review/allow-list.ts). The CLI behaviour is in cli.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { allowAddressProblem, AllowListError, readAllowLists } from '../../src/plan-review/allow-list';

describe('allowAddressProblem: only managed resource instance addresses (module paths as a prefix)', () => {
  test.each([
    'aws_db_instance.main',
    'aws_s3_bucket.this["a"]',
    'aws_s3_bucket.this["a #1"]',
    'aws_instance.web[0]',
    'module.db.aws_db_instance.main',
    'module.net["eu"].module.db[2].aws_s3_bucket.logs["x"]',
  ])('%s is valid', (address) => {
    expect(allowAddressProblem(address, 'flag')).toBeUndefined();
    expect(allowAddressProblem(address, 'file')).toBeUndefined();
  });

  test.each(['module.db', 'module.db["eu"]', 'module.db[0]', 'module.net.module.db'])('%s is a module, not a resource; the message shows a resource inside it', (address) => {
    expect(allowAddressProblem(address, 'file')).toBe(`${address} is a module, not a resource: list each stateful resource in it by its own address, e.g. ${address}.aws_db_instance.main`);
    expect(allowAddressProblem(`${address}.aws_db_instance.main`, 'file')).toBeUndefined();
  });

  test('a data source is named as one', () => {
    expect(allowAddressProblem('module.x.data.aws_ami.this', 'flag')).toBe('module.x.data.aws_ami.this is a data source; only managed resources are destroyed');
  });

  test.each(['aws_db_instance', 'data.aws_ami', 'ephemeral.aws_secret', 'resource.aws_instance', 'module.db.', 'module', 'aws_db_instance.main extra', ''])(
    "'%s' is not valid; only a file line is told it may add a # reason",
    (address) => {
      const expected = `'${address}' is not valid: expected one resource address such as aws_db_instance.main or module.db.aws_s3_bucket.this["a"]`;
      expect(allowAddressProblem(address, 'flag')).toBe(expected);
      expect(allowAddressProblem(address, 'file')).toBe(`${expected}, optionally followed by "# reason"`);
    },
  );
});

describe('readAllowLists', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-allow-unit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('entries carry file, line and reason (a byte-order mark and CRLF are fine); a module line is an error', () => {
    fs.writeFileSync(path.join(dir, 'x.txt'), '\uFEFF# c\naws_db_instance.old # why\r\nmodule.db.aws_s3_bucket.a\n');
    expect(readAllowLists(['x.txt'], dir)).toEqual([
      { address: 'aws_db_instance.old', file: 'x.txt', line: 2, reason: 'why' },
      { address: 'module.db.aws_s3_bucket.a', file: 'x.txt', line: 3 },
    ]);
    fs.writeFileSync(path.join(dir, 'x.txt'), 'module.db # whole module\n');
    expect(() => readAllowLists(['x.txt'], dir)).toThrow(
      new AllowListError(['--allow-destroy-file x.txt: 1 invalid line:\n  line 1: module.db is a module, not a resource: list each stateful resource in it by its own address, e.g. module.db.aws_db_instance.main']),
    );
  });

  test('readAllowLists merges the files in the order given; no files is no entries', () => {
    fs.writeFileSync(path.join(dir, 'b.txt'), 'aws_s3_bucket.b\n');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'aws_s3_bucket.a # a\n');
    expect(readAllowLists(['b.txt', 'a.txt'], dir)).toEqual([
      { address: 'aws_s3_bucket.b', file: 'b.txt', line: 1 },
      { address: 'aws_s3_bucket.a', file: 'a.txt', line: 1, reason: 'a' },
    ]);
    expect(readAllowLists([], dir)).toEqual([]);
  });

  test('readAllowLists: duplicates across files name the first; one block per bad file, in order', () => {
    fs.writeFileSync(path.join(dir, 'a.txt'), 'aws_s3_bucket.a\naws_s3_bucket.a\n');
    fs.writeFileSync(path.join(dir, 'b.txt'), 'aws_s3_bucket.a\n');
    let error: unknown;
    try {
      readAllowLists(['a.txt', 'b.txt', 'sub'], dir);
    } catch (err) {
      error = err;
    }
    fs.mkdirSync(path.join(dir, 'sub'));
    expect(error).toBeInstanceOf(AllowListError);
    expect((error as AllowListError).blocks).toEqual([
      '--allow-destroy-file a.txt: 1 invalid line:\n  line 2: aws_s3_bucket.a is already listed on line 1',
      '--allow-destroy-file b.txt: 1 invalid line:\n  line 1: aws_s3_bucket.a is already listed in a.txt line 1',
      '--allow-destroy-file sub: cannot read it: no such file',
    ]);
    expect(() => readAllowLists(['sub'], dir)).toThrow('--allow-destroy-file sub: cannot read it: is a directory');
  });
});
