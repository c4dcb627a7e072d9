/**
 * A worker process for the multi-process SQLite races (RELIABILITY A5, A11): it opens the ledger
 * file named by SHELFGUARD_RACE_URL, says `ready`, and on `run` sends every reservation it was
 * given at once, answering with what the ledger said and how long each took. Started by the tests
 * with `node --import tsx`; the parent migrates and seeds the file first.
 */
import { Ledger, type ReserveRequest } from '../../daemon/src/ledger/ledger.js';
import { openStore } from '../../daemon/src/ledger/store.js';
import { placeOrder, type OrderAnswer } from './ledger-race.js';

export interface WorkerRun {
  type: 'run';
  requests: Array<{ order: number; request: ReserveRequest }>;
}

export type WorkerMessage = { type: 'ready' } | { type: 'answers'; answers: OrderAnswer[] };

const url = process.env.SHELFGUARD_RACE_URL;
if (!url?.startsWith('sqlite:') || !process.send) throw new Error('ledger-race-worker needs SHELFGUARD_RACE_URL=sqlite:… and an IPC channel');

const store = await openStore(url);
const ledger = new Ledger(store);
const send = (message: WorkerMessage) => new Promise<void>((resolve, reject) => process.send!(message, undefined, {}, (error) => (error ? reject(error) : resolve())));

process.on('message', (message: WorkerRun) => {
  void (async () => {
    const answers = await Promise.all(message.requests.map(({ order, request }) => placeOrder(ledger, order, request)));
    await send({ type: 'answers', answers });
    await store.close();
    process.disconnect();
  })();
});
await send({ type: 'ready' });
