/**
 * Offline Terraform workspaces: a temporary copy of a synthesized stack that `terraform init`,
 * `validate` and `plan -refresh=false` can run against with no AWS account and no network.
 *
 * - backend: the copy's `backend`/`cloud` settings are replaced by a local backend in an override file;
 * - credentials: fake keys plus the AWS provider's `skip_*` settings in the same override file;
 * - providers: installed only from the filesystem mirror (see `binary.ts`);
 * - random provider: not installable here, so every `random_*` resource is stubbed with the built-in
 *   `terraform_data` resource (in the configuration and in any state given), and the stubbing is
 *   reported through `notes`, never done silently.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { requireTerraform, writeCliConfig } from './binary';
import { CountSplitOptions, splitLargeCountBlocks } from './count-split';
import { directAwsProvider } from './direct-provider';

/** Any JSON object (a synthesized stack or a state file). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface OfflineWorkspace {
  /** The temporary directory holding the stack copy. */
  readonly dir: string;
  /**
   * Environment for terraform: CLI config, fake credentials, no checkpoint, automation mode, GOGC
   * ({@link terraformGogc}) unless set, the provider SDKs' logs off unless any log is asked for
   * ({@link providerSdkLogsOff}).
   */
  readonly env: NodeJS.ProcessEnv;
  /** What was changed to run offline (backend, credentials, stubbed random resources). */
  readonly notes: readonly string[];
  /** Addresses of the stubbed random resources, old -> new (`random_password.x` -> `terraform_data.random_password_x`). */
  readonly stubbed: Readonly<Record<string, string>>;
  /**
   * The stack's address of an address terraform reports in this workspace: a stubbed random
   * resource's stand-in and a split count block's part (`splitCounts`) map back; any other address
   * is returned as it is.
   */
  realAddress(address: string): string;
  /** `text` (e.g. terraform's error output) with every split part's address replaced by the stack's. */
  realText(text: string): string;
  /** Whether `terraform init` must run before plan (false when the AWS provider runs directly: `runProviderDirectly`). */
  readonly needsInit: boolean;
  run(args: readonly string[], onLine?: (line: string) => void): Promise<RunResult>;
  cleanup(): void;
}

export interface OfflineWorkspaceOptions {
  /** The synthesized stack (`cdk.tf.json` content). One of `stackJson` and `sourceDir` is required. */
  readonly stackJson?: Json;
  /**
   * A directory of hand-written configuration (`*.tf`, `*.tf.json`) copied instead of `stackJson`
   * (sub-directories, `.terraform` and state files are not copied; random_* is not stubbed in HCL).
   */
  readonly sourceDir?: string;
  /** The override file's content. @default offlineOverride(region): fake credentials, no API calls */
  readonly override?: (region: string) => Json;
  /** Keep the stack's import blocks (they read the objects from the API the override points at). @default false */
  readonly keepImports?: boolean;
  /** Variables added to terraform's environment (e.g. `TF_VAR_*`), after the defaults. */
  readonly extraEnv?: NodeJS.ProcessEnv;
  /** A state to plan against (written as the local backend's `terraform.tfstate`). */
  readonly state?: Json;
  /** Stub random_* resources with terraform_data. @default true */
  readonly stubRandom?: boolean;
  /** Region for the override of a `sourceDir` copy (a stackJson's own provider region is used otherwise). @default us-east-1 */
  readonly region?: string;
  /** Environment to start from. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Plan large `count` blocks of `stackJson` as an equivalent configuration of smaller ones
   * (src/terraform/count-split.ts: terraform's cost of one block is quadratic in its count), with
   * the state's instances moved to match; `realAddress` maps the parts back. For plans that are
   * only read, never applied. @default false
   */
  readonly splitCounts?: CountSplitOptions | false;
  /**
   * Run the mirror's AWS provider without `terraform init` when the configuration allows it
   * (src/terraform/direct-provider.ts; `needsInit` says which way it went, `notes` why). Only for
   * `stackJson` workspaces with the default override. @default false
   */
  readonly runProviderDirectly?: boolean;
}

/** Fake values the stubbed random resources produce (fixed, so plans are stable). */
export function stubValueFor(address: string): string {
  return `offline-stub-${address.replace(/[^A-Za-z0-9]/g, '-')}`;
}

/** The terraform_data address that stands in for a random_* resource. */
export function stubAddressFor(type: string, name: string): string {
  return `terraform_data.${type}_${name}`;
}

const RANDOM_REF = /\brandom_([a-z_]+)\.([A-Za-z0-9_-]+)\.[A-Za-z_]+\b/g;

/**
 * Replaces random_* resources in a synthesized stack with terraform_data stand-ins and rewrites
 * every reference to them. `values` (by `type.name`) are the values the stand-ins produce, e.g. the
 * `result` a state already holds, so that a plan against that state shows the value unchanged;
 * otherwise {@link stubValueFor}. Returns a new object; the input is not modified.
 */
export function stubRandomInStack(stackJson: Json, values: Readonly<Record<string, string>> = {}): { stack: Json; stubbed: Record<string, string> } {
  const stack = JSON.parse(JSON.stringify(stackJson));
  const stubbed: Record<string, string> = {};
  const resources = stack.resource ?? {};
  for (const type of Object.keys(resources)) {
    if (!type.startsWith('random_')) continue;
    for (const name of Object.keys(resources[type])) {
      const to = stubAddressFor(type, name);
      stubbed[`${type}.${name}`] = to;
      resources.terraform_data = resources.terraform_data ?? {};
      resources.terraform_data[to.split('.')[1]] = { input: values[`${type}.${name}`] ?? stubValueFor(`${type}.${name}`) };
    }
    delete resources[type];
  }
  if (stack.provider) delete stack.provider.random;
  if (stack.terraform?.required_providers) delete stack.terraform.required_providers.random;
  const rewritten = JSON.stringify(stack).replace(RANDOM_REF, (_m, type: string, name: string) => `${stubAddressFor(`random_${type}`, name)}.output`);
  return { stack: JSON.parse(rewritten), stubbed };
}

/** The `result` of each root-module random_* resource in a state, by `type.name` (what the stubs should produce). */
export function randomResultsInState(stateJson: Json): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of stateJson?.resources ?? []) {
    const result = r.instances?.[0]?.attributes?.result;
    if (r.mode === 'managed' && !r.module && typeof r.type === 'string' && r.type.startsWith('random_') && typeof result === 'string') out[`${r.type}.${r.name}`] = result;
  }
  return out;
}

/**
 * The same substitution in a state file: each random_* instance becomes a terraform_data instance
 * whose input and output are the instance's own `result` (or the stub value when it has none), so
 * a plan sees no change for it, nor for anything that uses it.
 */
export function stubRandomInState(stateJson: Json): { state: Json; stubbed: Record<string, string> } {
  const state = JSON.parse(JSON.stringify(stateJson));
  const stubbed: Record<string, string> = {};
  for (const r of state.resources ?? []) {
    if (r.mode !== 'managed' || typeof r.type !== 'string' || !r.type.startsWith('random_')) continue;
    const prefix = r.module ? `${r.module}.` : '';
    const from = `${prefix}${r.type}.${r.name}`;
    const to = stubAddressFor(r.type, r.name);
    stubbed[from] = `${prefix}${to}`;
    const fallback = stubValueFor(`${r.type}.${r.name}`);
    r.type = 'terraform_data';
    r.name = to.split('.')[1];
    r.provider = 'provider["terraform.io/builtin/terraform"]';
    r.instances = (r.instances ?? []).map((i: Json) => {
      const value = typeof i.attributes?.result === 'string' ? i.attributes.result : fallback;
      return {
        ...(i.index_key !== undefined ? { index_key: i.index_key } : {}),
        schema_version: 0,
        attributes: { id: `stub-${r.name}`, input: { value, type: 'string' }, output: { value, type: 'string' }, triggers_replace: null },
        sensitive_attributes: [],
      };
    });
  }
  return { state, stubbed };
}

/** The override file: local backend, fake credentials, no AWS API calls during plan. */
export function offlineOverride(region: string): Json {
  return {
    terraform: { backend: { local: { path: 'terraform.tfstate' } } },
    provider: {
      aws: [
        {
          region,
          access_key: 'AKIAOFFLINEFAKE00000',
          secret_key: 'offline-fake-secret-key',
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: true,
          skip_region_validation: true,
          // The real account id cannot be known offline; the override lifts the account guard.
          allowed_account_ids: null,
        },
      ],
    },
  };
}

/**
 * Runs a process to completion, collecting its output. `onLine` (optional) sees each complete
 * stdout line as it arrives (for progress from `terraform apply -json`).
 */
export function runProcess(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; onLine?: (line: string) => void },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      out.push(d);
      if (!options.onLine) return;
      const lines = (pending + d.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) options.onLine(line);
    });
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending && options.onLine) options.onLine(pending);
      resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

/**
 * The Go garbage collector setting terraform and its provider plugins run with (unless the caller's
 * environment sets GOGC): a collection when the heap has grown by 400% instead of Go's 100%.
 * terraform's plan of many resource instances is mostly allocation (it deep-copies a resource's whole
 * state for each of its instances), so the collector was a third of its CPU: on the 10,000-instance
 * migration benchmark `terraform plan -refresh=false` took 73 s of CPU with the default and 42-52 s with
 * 400, for a peak of 1.4-1.9 GiB instead of 0.75 GiB (migration/README.md, "Speed"). Small stacks stay
 * small: the heap is at most five times what is live (a 1-instance plan peaks at 0.50 GiB, 0.47 with 100),
 * and a plan of the production stack drops from about 9.4 to 6.7 s of CPU (0.52 -> 0.67 GB peak).
 */
export const TERRAFORM_GOGC = '400';

/**
 * The GOGC for a workspace whose state holds at least {@link LARGE_STATE_INSTANCES} instances: there
 * the collector's share is larger still, and 800 took a tenth off the 10,000-instance confirmation
 * (15.96 -> 14.51 s wall, 24.9 -> 22.2 s of CPU, mean of four alternating runs) for a peak of 2.0 GiB
 * instead of 1.35. On the production stack 800 gained nothing (+0.2 GiB), hence two settings.
 */
export const TERRAFORM_GOGC_LARGE = '800';
export const LARGE_STATE_INSTANCES = 1000;

/** {@link TERRAFORM_GOGC}, or {@link TERRAFORM_GOGC_LARGE} for a state of at least {@link LARGE_STATE_INSTANCES} instances. */
export function terraformGogc(state: Json | undefined): string {
  let instances = 0;
  for (const r of state?.resources ?? []) instances += Array.isArray(r?.instances) ? r.instances.length : 0;
  return instances >= LARGE_STATE_INSTANCES ? TERRAFORM_GOGC_LARGE : TERRAFORM_GOGC;
}

/** The environment variables that set the plugin SDKs' log levels (terraform-plugin-log), each subsystem its own. */
export const PROVIDER_SDK_LOG_VARIABLES = ['TF_LOG_SDK', 'TF_LOG_SDK_PROTO', 'TF_LOG_SDK_MUX', 'TF_LOG_SDK_HELPER_SCHEMA', 'TF_LOG_SDK_HELPER_RESOURCE', 'TF_LOG_SDK_FRAMEWORK', 'TF_LOG_PROVIDER'];

/**
 * `off` for each of {@link PROVIDER_SDK_LOG_VARIABLES}, unless the caller's environment asks for any
 * terraform or provider log (`TF_LOG`, `TF_LOG_PATH`, `TF_LOG_CORE` or one of them): then nothing, and
 * the logs flow as they would. With no level set, the AWS provider's SDKs write a TRACE line for every
 * call to stderr, where terraform parses each as JSON only to drop it: on the 10,000-instance migration
 * benchmark 13% of the plan's CPU (`perf`, migration/README.md, "Speed").
 */
export function providerSdkLogsOff(baseEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const asked = ['TF_LOG', 'TF_LOG_PATH', 'TF_LOG_CORE', ...PROVIDER_SDK_LOG_VARIABLES].some((v) => baseEnv[v] !== undefined && baseEnv[v] !== '');
  return asked ? {} : Object.fromEntries(PROVIDER_SDK_LOG_VARIABLES.map((v) => [v, 'off']));
}

/** Creates the temporary workspace. Throws TerraformUnavailableError when terraform or the mirror is missing. */
export function prepareOfflineWorkspace(options: OfflineWorkspaceOptions): OfflineWorkspace {
  const baseEnv = options.env ?? process.env;
  const { terraform, mirror } = requireTerraform(baseEnv);
  if ((options.stackJson === undefined) === (options.sourceDir === undefined)) {
    throw new Error('prepareOfflineWorkspace: give exactly one of stackJson and sourceDir');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-infra-tf-'));
  const notes: string[] = [];
  const override = options.override ?? offlineOverride;

  if (options.sourceDir !== undefined) {
    for (const entry of fs.readdirSync(options.sourceDir, { withFileTypes: true })) {
      if (entry.isFile() && /\.tf(\.json)?$/.test(entry.name)) fs.copyFileSync(path.join(options.sourceDir, entry.name), path.join(dir, entry.name));
    }
    // Override files merge into the copied blocks: the backend becomes local, the provider gets the override's settings.
    fs.writeFileSync(path.join(dir, 'zz_offline_override.tf.json'), JSON.stringify(override(options.region ?? 'us-east-1'), null, 2));
    notes.push(`copied the configuration of ${options.sourceDir} and replaced its backend with a local one`);
  }

  let stack = JSON.parse(JSON.stringify(options.stackJson ?? {}));
  let stubbed: Record<string, string> = {};
  if (options.sourceDir === undefined && (options.stubRandom ?? true)) {
    // With a state, the stand-ins produce the values the state holds, so nothing appears to change.
    ({ stack, stubbed } = stubRandomInStack(stack, options.state ? randomResultsInState(options.state) : {}));
    for (const [from, to] of Object.entries(stubbed)) {
      notes.push(`stubbed ${from} with ${to} (the random provider cannot be installed offline)`);
    }
  }
  if (stack.import && !options.keepImports) {
    notes.push(`left out ${stack.import.length} import block${stack.import.length === 1 ? '' : 's'} (importing reads the object from AWS)`);
    delete stack.import;
  }
  if (stack.terraform) {
    if (stack.terraform.backend) notes.push(`replaced the ${Object.keys(stack.terraform.backend).join(', ')} backend with a local one`);
    if (stack.terraform.cloud) notes.push('replaced the Terraform Cloud block with a local backend');
    delete stack.terraform.backend;
    delete stack.terraform.cloud;
  }
  let state = options.state;
  if (state && (options.stubRandom ?? true)) {
    const result = stubRandomInState(state);
    state = result.state;
    for (const [from, to] of Object.entries(result.stubbed)) notes.push(`stubbed ${from} in the state with ${to}`);
  }
  let split = { realAddress: (a: string) => a, realText: (t: string) => t };
  if (options.splitCounts && options.sourceDir === undefined) {
    const result = splitLargeCountBlocks(stack, state, options.splitCounts);
    ({ stack, state } = result);
    split = result;
    for (const b of result.split) {
      notes.push(
        `planned ${b.address} (count ${b.count}) as ${b.parts} blocks of at most ${b.partSize} instances (${b.address}__part_0 ...), ` +
          `an equivalent configuration: terraform's cost of one count block grows with the square of its count; addresses are reported as ${b.address}[i]`,
      );
    }
    for (const k of result.kept) notes.push(`planned ${k.address} as one block: ${k.reason}`);
  }
  if (state) fs.writeFileSync(path.join(dir, 'terraform.tfstate'), JSON.stringify(state));

  const devOverrides: Record<string, string> = {};
  if (options.sourceDir === undefined) {
    const region: string = stack.provider?.aws?.[0]?.region ?? 'us-east-1';
    const overrideJson = override(region);
    if (options.runProviderDirectly && !options.override) {
      const direct = directAwsProvider(stack, mirror);
      if ('provider' in direct) {
        devOverrides['registry.terraform.io/hashicorp/aws'] = direct.provider.dir;
        // No backend block: terraform's default is this same local state file, and it needs no init.
        delete overrideJson.terraform;
        notes.push(
          `runs the mirror's hashicorp/aws ${direct.provider.version} directly (terraform's dev_overrides), without terraform init: ` +
            'init would only hash the provider binary for a lock file this workspace throws away',
        );
      } else notes.push(`runs terraform init: ${direct.reason}`);
    }
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
    fs.writeFileSync(path.join(dir, 'zz_offline_override.tf.json'), JSON.stringify(overrideJson, null, 2));
    if (!options.override) notes.push('added fake AWS credentials and skip_* settings (no AWS API is called)');
  }

  const env: NodeJS.ProcessEnv = {
    ...baseEnv,
    TF_CLI_CONFIG_FILE: writeCliConfig(dir, mirror, devOverrides),
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    TF_INPUT: '0',
    AWS_ACCESS_KEY_ID: 'AKIAOFFLINEFAKE00000',
    AWS_SECRET_ACCESS_KEY: 'offline-fake-secret-key',
    AWS_EC2_METADATA_DISABLED: 'true',
    TF_VAR_oidc_client_secret: 'offline-fake-client-secret',
    // Go's collector runs a quarter (an eighth for large states) as often ({@link terraformGogc}); a GOGC of your own is kept.
    GOGC: baseEnv.GOGC ?? terraformGogc(state),
    ...providerSdkLogsOff(baseEnv),
    ...options.extraEnv,
  };
  const stubToReal = new Map(Object.entries(stubbed).map(([real, stub]) => [stub, real]));
  delete env.TF_PLUGIN_CACHE_DIR;
  delete env.AWS_PROFILE;
  delete env.TF_WORKSPACE;

  return {
    dir,
    env,
    notes,
    stubbed,
    realAddress: (address) => {
      const real = split.realAddress(address);
      return stubToReal.get(real) ?? real;
    },
    realText: split.realText,
    needsInit: Object.keys(devOverrides).length === 0,
    run: (args, onLine) => runProcess(terraform, ['-chdir=' + dir, ...args], { cwd: dir, env, onLine }),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
