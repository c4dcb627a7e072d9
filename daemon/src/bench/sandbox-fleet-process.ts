/**
 * The marketplace sandboxes in a child process of their own, for the benchmarks: the sandboxes'
 * work (parsing, validating against the official models, rate limiting) then runs on its own
 * event loop, so a bench measures the daemon's engine and not five servers sharing its loop, and a
 * sandbox's token buckets see requests when they arrive, not when a busy shared loop gets to them.
 * What each sandbox shows is mirrored here from the changes the child reports, each with the
 * moment the sandbox applied it (wall-clock milliseconds with sub-millisecond precision).
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Channel, ChannelName } from '../channels/channel.js';
import type { RecordedRequest, SandboxOptions } from '../sandbox/kit/sandbox-server.js';
import { createConnector } from '../sync/channel-registry.js';

const CHILD_PATH = fileURLToPath(new URL('./sandbox-fleet-child.ts', import.meta.url));
/** The TypeScript loader the CLI itself runs on, found from here so any working directory will do. */
const TSX_LOADER_URL = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const START_WAIT_MAX_MS = 60_000;
const CLOSE_WAIT_MAX_MS = 10_000;
const CONNECTOR_TIMEOUT_MS = 10_000;
/** The sandboxes stand for marketplaces on other machines, whose clocks do not wait for ours: on a
 * busy machine their process is scheduled ahead of the rest (when allowed), so their rate
 * limiters stamp a request close to when it was sent, not when the CPU got round to it. */
const SANDBOX_PROCESS_PRIORITY = -10;

export type ParentMessage =
  | { type: 'start'; names: string[]; options: SandboxOptions }
  | { type: 'requests'; id: number; name: string }
  | { type: 'sync'; id: number }
  | { type: 'close' };

export type ChildMessage =
  | { type: 'started'; members: Array<{ name: string; baseUrl: string; credentials: Record<string, string> }> }
  | { type: 'applied'; changes: Array<[string, string, number, number]> }
  | { type: 'requests'; id: number; requests: RecordedRequest[] }
  | { type: 'synced'; id: number }
  | { type: 'closed' }
  | { type: 'error'; message: string };

/** A quantity a sandbox applied: which one, which SKU, the number, and when (wall clock, ms). */
export interface AppliedChange { name: string; sku: string; quantity: number; atMs: number }

export interface ProcessFleetMember { name: ChannelName; baseUrl: string; channel: Channel }

export interface ProcessSandboxFleet {
  members: ProcessFleetMember[];
  get(name: string): ProcessFleetMember;
  /** What the sandbox showed at its last reported change (undefined for an unknown SKU). */
  shown(name: string, sku: string): number | undefined;
  /** Called for every change the sandboxes apply from now on. */
  onApplied(listener: (change: AppliedChange) => void): void;
  call<T = unknown>(name: string, method: string, path: string, body?: unknown): Promise<T>;
  requestLog(name: string): Promise<RecordedRequest[]>;
  /** CPU time (user + system) the sandbox process has used so far; undefined where the OS does not
   * say (read from /proc on Linux). */
  cpuMs(): number | undefined;
  close(): Promise<void>;
}

/** The wall clock with sub-millisecond precision, comparable across processes. */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/** CPU time of another process from /proc/<pid>/stat (utime + stime, in clock ticks of 1/100 s on
 * Linux); undefined when it cannot be read. */
function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

export async function startSandboxFleetProcess(names: ChannelName[], options: SandboxOptions = {}): Promise<ProcessSandboxFleet> {
  // A profiled bench (node --cpu-prof …) profiles its sandboxes too.
  const profiling = process.execArgv.filter((argument) => argument.startsWith('--cpu-prof'));
  const child = fork(CHILD_PATH, [], { execArgv: ['--import', TSX_LOADER_URL, ...profiling], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    if (child.pid !== undefined) setPriority(child.pid, SANDBOX_PROCESS_PRIORITY);
  } catch {
    // Not permitted (not root): the sandboxes run at the default priority.
  }
  const shownBy = new Map<string, Map<string, number>>(names.map((name) => [name, new Map()]));
  const listeners: Array<(change: AppliedChange) => void> = [];
  const answers = new Map<number, (requests: RecordedRequest[]) => void>();
  let nextId = 1;
  let failure: string | undefined;
  const waiters: Array<{ type: ChildMessage['type']; resolve: (message: ChildMessage) => void; reject: (error: Error) => void }> = [];

  child.on('message', (message: ChildMessage) => {
    if (message.type === 'applied') {
      for (const [name, sku, quantity, atMs] of message.changes) {
        shownBy.get(name)?.set(sku, quantity);
        for (const listener of listeners) listener({ name, sku, quantity, atMs });
      }
    } else if (message.type === 'requests' || message.type === 'synced') {
      answers.get(message.id)?.(message.type === 'requests' ? message.requests : []);
      answers.delete(message.id);
    } else if (message.type === 'error') failure = message.message;
    for (const waiter of waiters.filter((entry) => entry.type === message.type)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  child.on('exit', (code, signal) => {
    const error = new Error(`the sandbox fleet process exited (${signal ?? code})${failure ? `: ${failure}` : ''}`);
    for (const waiter of waiters.splice(0)) waiter.reject(error);
  });
  const waitFor = (type: ChildMessage['type'], timeoutMs: number) => new Promise<ChildMessage>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the sandbox fleet process did not answer ${type} within ${timeoutMs} ms${failure ? `: ${failure}` : ''}`)), timeoutMs);
    waiters.push({ type, resolve: (message) => { clearTimeout(timer); resolve(message); }, reject: (error) => { clearTimeout(timer); reject(error); } });
  });

  const ask = (message: Extract<ParentMessage, { id: number }>) => new Promise<RecordedRequest[]>((resolve) => {
    answers.set(message.id, resolve);
    child.send(message);
  });

  const started = waitFor('started', START_WAIT_MAX_MS);
  child.send({ type: 'start', names, options } satisfies ParentMessage);
  const { members: described } = await started.catch((error: unknown) => { child.kill('SIGKILL'); throw error; }) as Extract<ChildMessage, { type: 'started' }>;
  const members: ProcessFleetMember[] = described.map((member) => ({
    name: member.name as ChannelName,
    baseUrl: member.baseUrl,
    channel: createConnector(member.name as ChannelName, { baseUrl: member.baseUrl, credentials: member.credentials, requestTimeoutMs: CONNECTOR_TIMEOUT_MS }),
  }));
  const get = (name: string): ProcessFleetMember => {
    const member = members.find((candidate) => candidate.name === name);
    if (!member) throw new Error(`no ${name} sandbox in this fleet`);
    return member;
  };
  return {
    members,
    get,
    shown: (name, sku) => shownBy.get(name)?.get(sku),
    onApplied: (listener) => { listeners.push(listener); },
    async call<T>(name: string, method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${get(name).baseUrl}/_sandbox${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${name} sandbox ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
      // The child reports what a test-surface call changed after answering it: a round trip on the
      // (ordered) IPC channel makes sure shown() agrees with the sandbox before this returns.
      await ask({ type: 'sync', id: nextId++ });
      return JSON.parse(text) as T;
    },
    requestLog: (name) => ask({ type: 'requests', id: nextId++, name }),
    cpuMs: () => (child.pid === undefined ? undefined : processCpuMs(child.pid)),
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send({ type: 'close' } satisfies ParentMessage);
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_WAIT_MAX_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
