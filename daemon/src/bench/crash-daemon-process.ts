/**
 * The daemon as a real child process (`node bin/shelfguard.js serve`) for the crash bench: started
 * on a fixed port and ledger, killed with SIGKILL, started again on the same ledger and port.
 * Secrets reach it through the environment only and are never printed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN_PATH = fileURLToPath(new URL('../../../bin/shelfguard.js', import.meta.url));
const HEALTH_WAIT_MAX_MS = 60_000;
const HEALTH_PROBE_TIMEOUT_MS = 1_000;
const EXIT_WAIT_MAX_MS = 15_000;
const STDERR_TAIL_CHARS_MAX = 4_000;

export interface DaemonProcessOptions {
  databaseUrl: string;
  secret: string;
  port: number;
  channels: Record<string, unknown>;
}

/** A free TCP port on 127.0.0.1, picked once and reused by every restart. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export class DaemonProcess {
  private child: ChildProcess | undefined;
  private stderrTail = '';
  readonly url: string;

  constructor(private readonly options: DaemonProcessOptions) {
    this.url = `http://127.0.0.1:${options.port}`;
  }

  /** Starts the daemon and resolves once /healthz answers; returns how long that took. */
  async start(): Promise<number> {
    const started = performance.now();
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('SHELFGUARD_')) env[name] = value;
    Object.assign(env, {
      SHELFGUARD_DATABASE_URL: this.options.databaseUrl,
      SHELFGUARD_SECRET: this.options.secret,
      SHELFGUARD_HOST: '127.0.0.1',
      SHELFGUARD_PORT: String(this.options.port),
      SHELFGUARD_CHANNELS: JSON.stringify(this.options.channels),
      SHELFGUARD_LOG_LEVEL: 'error',
      SHELFGUARD_RECONCILE_SCHEDULE: 'off',
      SHELFGUARD_SYNC_POLL_MS: '200',
    });
    const child = spawn(process.execPath, [BIN_PATH, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (chunk: Buffer) => { this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS_MAX); });
    const deadline = performance.now() + HEALTH_WAIT_MAX_MS;
    while (performance.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the daemon exited while starting (${child.exitCode ?? child.signalCode}): ${this.stderrTail.slice(-1_000)}`);
      if (await this.isHealthy()) return performance.now() - started;
      await sleep(25);
    }
    throw new Error(`the daemon did not answer /healthz within ${HEALTH_WAIT_MAX_MS} ms: ${this.stderrTail.slice(-1_000)}`);
  }

  async isHealthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(HEALTH_PROBE_TIMEOUT_MS) });
      await response.arrayBuffer();
      return response.ok;
    } catch {
      return false;
    }
  }

  /** kill -9, and wait until the process is gone so the next start gets the port. */
  async kill(): Promise<void> {
    await this.stopWith('SIGKILL');
  }

  /** SIGTERM (graceful drain), SIGKILL if it does not exit in time; says how it ended. */
  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return this.stopWith('SIGTERM');
  }

  private async stopWith(signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const child = this.child;
    if (!child) return { code: null, signal: null };
    if (child.exitCode !== null || child.signalCode !== null) return { code: child.exitCode, signal: child.signalCode };
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, endedBy) => resolve({ code, signal: endedBy })));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_WAIT_MAX_MS);
    const ended = await exited;
    clearTimeout(timer);
    return ended;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
