/**
 * Starting and stopping the AWS API emulator: `scripts/moto-server.py` (moto 5.2.1's server with
 * the emulator gaps filled) on a free loopback port, one server per scenario.
 */
import * as net from 'node:net';
import * as path from 'node:path';
import { ChildProcess, spawn } from 'node:child_process';
import { InfraError } from '../errors';

/** The wrapper script, relative to the repository root. */
export const MOTO_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'moto-server.py');

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: the endpoint every AWS service of the provider is pointed at. */
  readonly endpoint: string;
  readonly port: number;
  /** Everything the server printed so far (stdout and stderr, last 200 KiB): for failure reports. */
  log(): string;
  /** Stops the server (SIGTERM, then SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

export interface StartMotoOptions {
  /** Route53 hosted zones to pre-create, id -> zone name (the stacks reference an existing zone by id). */
  readonly hostedZones?: Readonly<Record<string, string>>;
  /** S3 buckets to pre-create (objects the stack adopts with import blocks). */
  readonly buckets?: readonly string[];
  /** Security groups to pre-create under these ids (clients the stack allows in, defined elsewhere). */
  readonly securityGroups?: readonly string[];
  /**
   * Routes to pre-create, as their import ids `<route table id>_<destination CIDR>` (routes the stack
   * adopts with import blocks): the route table under that id, the route to an internet gateway.
   */
  readonly routes?: readonly string[];
  /** Transit gateways to pre-create under these ids (the client networks' side of network.clientRoutes). */
  readonly transitGateways?: readonly string[];
  /** The Python interpreter with moto installed. @default MLFLOW_INFRA_PYTHON or python3 */
  readonly python?: string;
  /** Milliseconds to wait for the ready line. @default 60000 */
  readonly timeoutMs?: number;
  /** Environment for the server. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** Raised when the emulator cannot be started (no python3/moto, or it never became ready). */
export class EmulatorUnavailableError extends InfraError {}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it; {@link startMoto} retries on a race). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** The wrapper's command-line arguments for the given options (exported for tests). */
export function motoArgs(port: number, options: Pick<StartMotoOptions, 'hostedZones' | 'buckets' | 'securityGroups' | 'routes' | 'transitGateways'> = {}): string[] {
  const args = [MOTO_SCRIPT, '--port', String(port)];
  for (const [id, name] of Object.entries(options.hostedZones ?? {}).sort(([a], [b]) => a.localeCompare(b))) args.push('--hosted-zone', `${id}=${name}`);
  for (const bucket of [...(options.buckets ?? [])].sort()) args.push('--bucket', bucket);
  for (const group of [...(options.securityGroups ?? [])].sort()) args.push('--security-group', group);
  for (const route of [...(options.routes ?? [])].sort()) args.push('--route', route);
  for (const tgw of [...(options.transitGateways ?? [])].sort()) args.push('--transit-gateway', tgw);
  return args;
}

const READY = /^moto-server ready on (http:\/\/\S+)/m;
const LOG_LIMIT = 200 * 1024;

function startOnce(port: number, options: StartMotoOptions): Promise<MotoServer> {
  const env = options.env ?? process.env;
  const python = options.python ?? env.MLFLOW_INFRA_PYTHON ?? 'python3';
  const child: ChildProcess = spawn(python, motoArgs(port, options), { env: { ...env, PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (d: Buffer) => {
    log += d.toString('utf8');
    if (log.length > LOG_LIMIT) log = log.slice(log.length - LOG_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited = false;
  const exit = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));

  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => !exited && child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timeout = setTimeout(() => {
      void stop();
      reject(new EmulatorUnavailableError(`moto did not report ready within ${options.timeoutMs ?? 60000} ms on port ${port}:\n${log.trim()}`));
    }, options.timeoutMs ?? 60000);
    const onData = () => {
      const m = READY.exec(log);
      if (!m) return;
      clearTimeout(timeout);
      child.stdout?.off('data', onData);
      resolve({ endpoint: m[1], port, log: () => log, stop });
    };
    child.stdout?.on('data', onData);
    child.on('error', (err) => {
      clearTimeout(timeout);
      reject(new EmulatorUnavailableError(`cannot start ${python} ${MOTO_SCRIPT}: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      if (READY.test(log)) return;
      clearTimeout(timeout);
      reject(new EmulatorUnavailableError(`moto exited (${signal ?? `code ${code}`}) before it was ready on port ${port}:\n${log.trim()}`));
    });
  });
}

/**
 * Starts `scripts/moto-server.py` on a free loopback port and resolves once it accepts requests.
 * A port taken between choosing and binding it (another engineer's server) is retried on a new
 * port, up to 3 times. Always call `stop()` (e.g. in `finally`).
 */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  let last: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await startOnce(port, options);
    } catch (err) {
      last = err;
      if (!/Address already in use/.test((err as Error).message)) throw err;
    }
  }
  throw last;
}
