import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { withDatabaseName } from '../../src/database/database-url';
import { freePort } from '../../test/support/free-port';

export interface Served {
  url: string;
  child: ChildProcess;
}

/** BENCH_PROFILE_DIR=<dir>: every served child writes a V8 CPU profile there when it exits. */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** Starts a TypeScript server script in a child process and waits for the URL it reports. */
export function serve(script: string, env: Record<string, string> = {}): Promise<Served> {
  const child = fork(script, [], {
    execArgv: ['-r', 'ts-node/register/transpile-only', ...profileArgs()],
    // as `npm start` runs it (graphql-js skips its development-mode checks)
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { url: string }) => {
      resolve({ url: message.url, child });
    });
    child.once('exit', (code) => {
      reject(new Error(`${script} exited with ${String(code)}`));
    });
  });
}

export interface Database {
  url: string;
  drop(): Promise<void>;
}

/** A fresh database: on BENCH_DATABASE_URL / TEST_DATABASE_URL when set, else an embedded server with fsync on. */
export async function benchDatabase(): Promise<Database> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (adminUrl) {
    const name = `charter_bench_${process.pid}`;
    const admin = new Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    return {
      url: withDatabaseName(adminUrl, name),
      drop: async () => {
        const c = new Client({ connectionString: adminUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'charter-bench-pg-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: join(dir, 'pg'),
    port: await freePort(),
    persistent: false,
  });
  return {
    url: server.url,
    drop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** With a server pid: its CPU time (user + system) per request over the measured window, in µs. */
  serverCpuUsPerRequest?: number;
}

/** utime + stime of a process in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** A bounded autocannon run on loopback: warm-up, then the measured window. */
export async function load(
  options: autocannon.Options,
  seconds = 5,
  serverPid?: number,
): Promise<LoadResult> {
  await autocannon({ ...options, duration: 1 });
  const before = serverPid === undefined ? 0 : cpuMs(serverPid);
  const result = await autocannon({ ...options, duration: seconds });
  const cpu =
    serverPid === undefined ? undefined : ((cpuMs(serverPid) - before) * 1000) / result.requests.total;
  return {
    requestsPerSecond: result.requests.average,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    ...(cpu !== undefined && { serverCpuUsPerRequest: cpu }),
  };
}

/** CPU seconds (user + system) a local process has used so far, from /proc; 0 once it has exited. */
function processCpuSeconds(pid: number): number {
  try {
    const fields =
      readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
        .split(') ')[1]
        ?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

export interface CpuSplit {
  service: number;
  postgres: number;
  client: number;
}

/**
 * CPU used by the served child, the PostgreSQL backends of one (local) database and this process
 * between start() and the call it returns: how much work a phase costs whatever else the machine runs.
 */
export async function cpuMeter(databaseUrl: string, servicePid: number): Promise<() => Promise<CpuSplit>> {
  const backends = async (): Promise<number[]> => {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    const rows = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    await client.end();
    return rows.rows.map((row) => row.pid);
  };
  const startBackends = new Map((await backends()).map((pid) => [pid, processCpuSeconds(pid)]));
  const startService = processCpuSeconds(servicePid);
  const startClient = process.cpuUsage();
  return async () => {
    const client = process.cpuUsage(startClient);
    const now = await backends();
    const postgres = now.reduce(
      (sum, pid) => sum + processCpuSeconds(pid) - (startBackends.get(pid) ?? 0),
      0,
    );
    return {
      service: processCpuSeconds(servicePid) - startService,
      postgres,
      client: (client.user + client.system) / 1e6,
    };
  };
}
