/**
 * The one file that wraps p-queue: a bounded-concurrency queue of async work. Everything else in
 * the daemon sees only this small interface, so the library can change without touching callers.
 */
import PQueue from 'p-queue';

export interface WorkQueue {
  /** Runs `work` when a slot is free; the promise settles with its result. */
  run<T>(work: () => Promise<T>): Promise<T>;
  /** Work waiting for a slot. */
  readonly waiting: number;
  /** Work running now. */
  readonly running: number;
  /** Resolves when nothing waits or runs. */
  idle(): Promise<void>;
}

export function createWorkQueue(concurrency: number): WorkQueue {
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`work queue concurrency must be an integer ≥ 1, got ${concurrency}`);
  const queue = new PQueue({ concurrency, autoStart: true });
  return {
    run: <T>(work: () => Promise<T>) => queue.add(work) as Promise<T>,
    get waiting() { return queue.size; },
    get running() { return queue.pending; },
    idle: () => queue.onIdle(),
  };
}
