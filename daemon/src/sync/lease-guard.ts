/**
 * The last check before a push leaves: a channel wrapper that sends only the updates whose claim
 * this process still holds (B8). The dispatcher's database fence already refuses a stale
 * completion; this refuses the stale request itself, so a worker resumed after SIGSTOP — its
 * pushes still queued in a scheduler — sends none of them once another worker may own the
 * listing. The check runs inside the scheduler's send, as late as the process can make it.
 *
 * A refused update fails with `conflict`: retryable while the local lease merely lapsed (a late
 * renewal can bring it back, and dead-lettering a push never sent would drop its rows), not
 * retryable once the database said the listing was taken (its fence then refuses the dead letter
 * too, so nothing is written). Updates no claim of this process covers pass unchanged.
 *
 * A connector may still wait between that check and its request (a token refresh, a feed's
 * upload before createFeed, a new connection). Connectors built with `leaseCheckedFetch` check
 * again as each request of the push is handed to the HTTP client, and once more just before it is
 * written: Node's HTTP client (sendHttp's default) as the request is handed its connection and
 * once a new connection is up, fetch in its dispatcher's onConnect. So a process stopped in any
 * such wait sends nothing on resuming once its lease lapsed.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Channel, ChannelError, PushPath, PushProgress, PushResult, QuantityUpdate } from '../channels/channel.js';
import { NATIVE_SEND, networkFailure, sendNative, type NativeSend } from '../channels/http.js';
import type { LeaseState } from '../ledger/outbox-claims.js';

export interface LeaseCheck {
  leaseState(channel: string, channelSku: string, version: number): LeaseState;
}

export function fencedChannel(channel: Channel, leases: LeaseCheck): Channel {
  const pushQuantities = async (updates: QuantityUpdate[], path: PushPath, progress?: PushProgress): Promise<PushResult[]> => {
    const allowed: QuantityUpdate[] = [];
    const refused: PushResult[] = [];
    for (const update of updates) {
      const state = leases.leaseState(channel.name, update.listing.sku, update.version);
      if (state === 'held' || state === 'untracked') allowed.push(update);
      else refused.push({ sku: update.listing.sku, version: update.version, status: 'failed', error: refusal(state, update) });
    }
    if (allowed.length === 0) return refused;
    const stillHeld = (): boolean => allowed.every((update) => {
      const state = leases.leaseState(channel.name, update.listing.sku, update.version);
      return state === 'held' || state === 'untracked';
    });
    const results = await pushInFlight.run(stillHeld, () => channel.pushQuantities(allowed, path, progress));
    return refused.length === 0 ? results : [...results, ...refused];
  };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(channel, {
    get(target, property) {
      if (property === 'pushQuantities') return pushQuantities;
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (!bound.has(property)) bound.set(property, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(property);
    },
  });
}

/** Whether the claims of the push being sent are still held, for the requests it makes. */
const pushInFlight = new AsyncLocalStorage<() => boolean>();

/** fetch, except that a request made for a push whose lease lapsed meanwhile is not sent: it
 * fails like a refused connection (retryable), and the retry meets the lease check above. */
export const leaseCheckedFetch: typeof fetch = (input, init) => {
  const stillHeld = pushInFlight.getStore();
  if (!stillHeld) return fetch(input, init);
  if (!stillHeld()) return Promise.reject(new Error(LAPSED));
  const dispatcher = checkedDispatcher(stillHeld);
  return fetch(input, dispatcher ? { ...init, dispatcher } as RequestInit : init);
};

// The daemon's connectors send through Node's HTTP client (see sendHttp): there the same two
// checks are made, as the request is handed its connection and once a new connection is up.
(leaseCheckedFetch as { [NATIVE_SEND]?: NativeSend })[NATIVE_SEND] = (request) => {
  const stillHeld = pushInFlight.getStore();
  if (!stillHeld) return sendNative(request);
  if (!stillHeld()) return Promise.resolve({ ok: false, error: networkFailure(request, LAPSED) });
  return sendNative(request, () => (stillHeld() ? undefined : new Error(LAPSED)));
};

const LAPSED = 'not sent: the lease on this push lapsed before its request left';
/** Where Node's fetch (undici) keeps its default dispatcher; created by the first fetch. */
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1');

interface Dispatcher { dispatch(options: unknown, handler: object): boolean }

/** The default dispatcher, with every request's onConnect (called by undici right before the
 * request is written) refusing it once the lease lapsed. Undefined before the process's first
 * fetch has created the default dispatcher: then only the check in leaseCheckedFetch applies. */
function checkedDispatcher(stillHeld: () => boolean): Dispatcher | undefined {
  const base = (globalThis as Record<symbol, unknown>)[GLOBAL_DISPATCHER] as Partial<Dispatcher> | undefined;
  if (typeof base?.dispatch !== 'function') return undefined;
  const dispatch = base.dispatch.bind(base);
  return {
    dispatch: (options, handler) => dispatch(options, new Proxy(handler, {
      get(target, property) {
        if (property === 'onConnect') {
          return (abort: (error: Error) => void, ...rest: unknown[]) => {
            if (!stillHeld()) return abort(new Error(LAPSED));
            return (target as { onConnect?: (...args: unknown[]) => unknown }).onConnect?.(abort, ...rest);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    })),
  };
}

function refusal(state: 'lapsed' | 'lost', update: QuantityUpdate): ChannelError {
  return state === 'lost'
    ? { code: 'conflict', message: `not sent: another worker took listing ${update.listing.sku} (version ${update.version}) after this one's lease ran out`, retryable: false }
    : { code: 'conflict', message: `not sent yet: this worker's lease on ${update.listing.sku} (version ${update.version}) lapsed before its renewal`, retryable: true };
}
