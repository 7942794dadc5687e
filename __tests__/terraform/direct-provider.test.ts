/**
 * The mirror's AWS provider run without `terraform init` (src/terraform/direct-provider.ts): the
 * version chosen as init chooses it, and every configuration init would treat differently keeps init.
 * The confirmation's real-terraform tests (__tests__/migration/confirm.terraform.test.ts) plan this
 * way; the workspace test below runs terraform itself.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cliConfig, directAwsProvider, prepareOfflineWorkspace, satisfiesConstraint, terraformPlatform } from '../../src/terraform';
import { terraformTest } from '../helpers/terraform';

const realTest = terraformTest();

describe('satisfiesConstraint: Terraform provider version constraints', () => {
  test.each([
    ['5.100.0', '>= 5.0, < 6.0', true],
    ['6.0.0', '>= 5.0, < 6.0', false],
    ['4.67.0', '>= 5.0, < 6.0', false],
    ['5.100.0', '~> 5.1', true],
    ['6.1.0', '~> 5.1', false],
    ['5.1.9', '~> 5.1.2', true],
    ['5.2.0', '~> 5.1.2', false],
    ['5.1.1', '~> 5.1.2', false],
    ['5.100.0', '~> 5', true],
    ['5.100.0', '= 5.100.0', true],
    ['5.100.0', '5.100.0', true],
    ['5.99.0', '5.100.0', false],
    ['5.100.0', '!= 5.100.0', false],
    ['5.100.0', '> 5.100.0', false],
    ['5.100.0', '<= 5.100.0', true],
  ])('%s meets %s: %s', (version, constraint, ok) => {
    expect(satisfiesConstraint(version, constraint)).toBe(ok);
  });

  test.each([
    ['a pre-release version', '5.100.0-beta1', '>= 5.0'],
    ['an unreadable constraint', '5.100.0', '>= five'],
    ['an operator terraform does not have', '5.100.0', '^5.0'],
  ])('%s is left to terraform init', (_what, version, constraint) => {
    expect(satisfiesConstraint(version, constraint)).toBeUndefined();
  });

  test('platform names as terraform writes them', () => {
    expect(terraformPlatform('linux', 'x64')).toBe('linux_amd64');
    expect(terraformPlatform('darwin', 'arm64')).toBe('darwin_arm64');
    expect(terraformPlatform('win32', 'x64')).toBe('windows_amd64');
  });
});

describe('directAwsProvider', () => {
  /** A mirror holding the given AWS versions, each with a linux_amd64 binary. */
  function mirror(versions: readonly string[]): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'direct-provider-'));
    for (const v of versions) {
      const platform = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', v, 'linux_amd64');
      fs.mkdirSync(platform, { recursive: true });
      fs.writeFileSync(path.join(platform, `terraform-provider-aws_v${v}_x5`), '', { mode: 0o755 });
    }
    return dir;
  }
  const stack = (extra: Record<string, unknown> = {}) => ({
    terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 5.0, < 6.0' } } },
    provider: { aws: [{ region: 'us-east-1' }] },
    resource: { aws_s3_bucket: { b: {} }, terraform_data: { random_password_db: { input: 'x' } } },
    ...extra,
  });

  test('the newest mirrored version the constraint allows, as init picks it', () => {
    const m = mirror(['5.9.0', '5.100.0', '6.2.0']);
    expect(directAwsProvider(stack(), m, 'linux_amd64')).toEqual({ provider: { version: '5.100.0', dir: path.join(m, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64') } });
    expect(directAwsProvider({ ...stack(), terraform: {} }, m, 'linux_amd64')).toMatchObject({ provider: { version: '6.2.0' } });
  });

  test.each([
    ['modules', { module: { vpc: { source: './vpc' } } }, 'the configuration uses modules'],
    ['another required provider', { terraform: { required_providers: { aws: { source: 'hashicorp/aws' }, random: { source: 'hashicorp/random' } } } }, 'the configuration needs more than hashicorp/aws (hashicorp/random)'],
    ['a resource of another provider', { resource: { null_resource: { x: {} } } }, 'the configuration needs more than hashicorp/aws (null)'],
    ['a data source of another provider', { data: { http: { x: {} } } }, 'the configuration needs more than hashicorp/aws (http)'],
    ['another provider block', { provider: { aws: [{}], tls: [{}] } }, 'the configuration needs more than hashicorp/aws (tls)'],
    ['a constraint no mirrored version meets', { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '>= 6.0' } } } }, 'no mirrored hashicorp/aws version meets ">= 6.0"'],
    ['a constraint this does not read', { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '^5' } } } }, 'the version constraint "^5" is left to terraform init to read'],
  ])('keeps init for %s', (_what, extra, reason) => {
    expect(directAwsProvider(stack(extra), mirror(['5.100.0']), 'linux_amd64')).toEqual({ reason });
  });

  test('keeps init when the mirror has no binary for this platform', () => {
    expect(directAwsProvider(stack(), mirror(['5.100.0']), 'darwin_arm64')).toEqual({ reason: 'the mirror has no hashicorp/aws 5.100.0 binary for darwin_arm64' });
  });

  test('the CLI configuration names the override before the mirror', () => {
    expect(cliConfig('/opt/mirror', { 'registry.terraform.io/hashicorp/aws': '/opt/mirror/aws/5.100.0/linux_amd64' })).toBe(
      [
        'provider_installation {',
        '  dev_overrides {',
        '    "registry.terraform.io/hashicorp/aws" = "/opt/mirror/aws/5.100.0/linux_amd64"',
        '  }',
        '  filesystem_mirror {',
        '    path    = "/opt/mirror"',
        '    include = ["registry.terraform.io/*/*"]',
        '  }',
        '}',
        'disable_checkpoint = true',
        '',
      ].join('\n'),
    );
  });

  realTest('a workspace that runs the provider directly plans with terraform and no init; one that cannot says why and needs init', async () => {
    const direct = prepareOfflineWorkspace({ stackJson: stack(), runProviderDirectly: true });
    const needsRandom = prepareOfflineWorkspace({ stackJson: stack({ resource: { aws_s3_bucket: { b: {} }, null_resource: { x: {} } } }), runProviderDirectly: true });
    try {
      expect(direct.needsInit).toBe(false);
      expect(direct.notes).toContainEqual(expect.stringMatching(/^runs the mirror's hashicorp\/aws \d+\.\d+\.\d+ directly \(terraform's dev_overrides\), without terraform init/));
      const plan = await direct.run(['plan', '-refresh=false', '-input=false', '-no-color', '-lock=false']);
      expect(plan.stderr).toBe('');
      expect(plan.code).toBe(0);
      expect(plan.stdout).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
      expect(needsRandom.needsInit).toBe(true);
      expect(needsRandom.notes).toContain('runs terraform init: the configuration needs more than hashicorp/aws (null)');
    } finally {
      direct.cleanup();
      needsRandom.cleanup();
    }
  });
});
