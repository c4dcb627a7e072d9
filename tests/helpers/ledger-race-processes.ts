/**
 * Runs batches of reservations in separate worker processes on one SQLite file, all released at
 * the same moment, and gathers their answers. Each worker is `node --import tsx` on
 * ledger-race-worker.ts (tsx's ESM loader; Node 20.6+ takes `--import`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ReserveRequest } from '../../daemon/src/ledger/ledger.js';
import type { OrderAnswer } from './ledger-race.js';
import type { WorkerMessage, WorkerRun } from './ledger-race-worker.js';

const WORKER_PATH = fileURLToPath(new URL('./ledger-race-worker.ts', import.meta.url));
const WORKER_START_TIMEOUT_MS = 30_000;

function waitFor(child: ChildProcess, type: WorkerMessage['type'], timeoutMs: number): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${child.pid} sent no ${type} within ${timeoutMs} ms`)), timeoutMs);
    const onExit = (code: number | null) => { clearTimeout(timer); reject(new Error(`worker ${child.pid} exited with ${code} before ${type}`)); };
    child.once('exit', onExit);
    child.on('message', function onMessage(message: WorkerMessage) {
      if (message.type !== type) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    });
  });
}

/** One worker per batch; every batch is sent at once, after every worker has opened the file. */
export async function runInProcesses(url: string, batches: Array<Array<{ order: number; request: ReserveRequest }>>): Promise<{ answers: OrderAnswer[]; wallMs: number }> {
  const children = batches.map(() => fork(WORKER_PATH, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SHELFGUARD_RACE_URL: url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  }));
  try {
    await Promise.all(children.map((child) => waitFor(child, 'ready', WORKER_START_TIMEOUT_MS)));
    const started = performance.now();
    const replies = children.map((child) => waitFor(child, 'answers', WORKER_START_TIMEOUT_MS));
    children.forEach((child, index) => child.send({ type: 'run', requests: batches[index]! } satisfies WorkerRun));
    const answers = (await Promise.all(replies)).flatMap((message) => (message.type === 'answers' ? message.answers : []));
    const wallMs = performance.now() - started;
    await Promise.all(children.map((child) => (child.exitCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)))));
    return { answers, wallMs };
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
