import { execFileSync } from 'node:child_process';
import { formatAddress, parseAddress, shellCommand, shellQuote } from '../../src/terraform-json/address';

describe('addresses', () => {
  test.each([
    'aws_vpc.main',
    'aws_subnet.public[0]',
    'aws_subnet.this["us-east-1a"]',
    'module.net["eu west"].module.inner[2].aws_route.r["it\'s"]',
    'data.aws_caller_identity.current',
    'module.x.data.aws_ami.this',
  ])('%s parses and formats back to itself', (address) => {
    const parsed = parseAddress(address);
    expect(parsed).toBeDefined();
    expect(formatAddress(parsed!)).toBe(address);
  });

  test('parts are separated: module path, mode, type, name, key', () => {
    expect(parseAddress('module.net["a"].aws_subnet.this[3]')).toEqual({ module: 'module.net["a"]', mode: 'managed', type: 'aws_subnet', name: 'this', key: 3 });
    expect(parseAddress('data.aws_ami.x["k"]')).toEqual({ module: '', mode: 'data', type: 'aws_ami', name: 'x', key: 'k' });
  });

  test.each(['aws_vpc', 'aws_vpc.main[', 'module..x.aws_vpc.a', 'aws_vpc.main["unterminated]'])('%s is not an address', (bad) => {
    expect(parseAddress(bad)).toBeUndefined();
  });

  test('shell quoting keeps for_each keys and module paths one word, and is bare when safe', () => {
    expect(shellQuote('aws_vpc.main')).toBe('aws_vpc.main');
    expect(shellQuote('aws_subnet.public[0]')).toBe("'aws_subnet.public[0]'");
    expect(shellQuote('aws_s.this["a b"]')).toBe(`'aws_s.this["a b"]'`);
    expect(shellQuote(`aws_s.this["it's"]`)).toBe(`'aws_s.this["it'\\''s"]'`);
    expect(shellCommand(['terraform', 'state', 'mv', '-state=/tmp/a b', 'module.m["x"].aws_vpc.v', 'aws_vpc.v'])).toBe(
      `terraform state mv '-state=/tmp/a b' 'module.m["x"].aws_vpc.v' aws_vpc.v`,
    );
  });

  test('a shell-quoted address survives a real shell round trip', () => {
    const address = `module.m["a b"].aws_s.this["it's \\"q\\""]`;
    const echoed = execFileSync('sh', ['-c', `printf '%s' ${shellQuote(address)}`]).toString();
    expect(echoed).toBe(address);
  });
});
