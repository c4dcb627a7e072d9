/**
 * The child side of a sandbox fleet in its own process (sandbox-fleet-process.ts): starts the
 * sandboxes it is asked for, reports every quantity they apply with the moment they applied it,
 * answers request-log queries, and exits when told to or when its parent goes away.
 */
import type { ChannelName } from '../channels/channel.js';
import { startSandbox, type SandboxHandle } from '../sandbox/kit/sandbox-server.js';
import type { SandboxListing } from '../sandbox/kit/sandbox-state.js';
import type { ChildMessage, ParentMessage } from './sandbox-fleet-process.js';
import { SANDBOXES } from './sandbox-fleet.js';

/** Quantity changes sent to the parent in one message at most. */
const CHANGES_PER_MESSAGE_MAX = 5_000;

const handles = new Map<string, SandboxHandle>();
let changes: Array<[string, string, number, number]> = [];
let flushScheduled = false;

function post(message: ChildMessage): void {
  process.send?.(message);
}

function flush(): void {
  flushScheduled = false;
  while (changes.length > 0) post({ type: 'applied', changes: changes.splice(0, CHANGES_PER_MESSAGE_MAX) });
}

function recordChange(name: string, listing: SandboxListing): void {
  changes.push([name, listing.sku, listing.quantity, performance.timeOrigin + performance.now()]);
  if (!flushScheduled) { flushScheduled = true; setImmediate(flush); }
}

async function handle(message: ParentMessage): Promise<void> {
  if (message.type === 'start') {
    for (const name of message.names as ChannelName[]) {
      const handle = await startSandbox(SANDBOXES[name](), message.options);
      handle.context.state.watchQuantities((listing) => recordChange(name, listing));
      handles.set(name, handle);
    }
    post({ type: 'started', members: [...handles.entries()].map(([name, handle]) => ({ name, baseUrl: handle.baseUrl, credentials: handle.credentials })) });
  } else if (message.type === 'sync') {
    flush();
    post({ type: 'synced', id: message.id });
  } else if (message.type === 'requests') {
    post({ type: 'requests', id: message.id, requests: handles.get(message.name)?.requests ?? [] });
  } else if (message.type === 'close') {
    flush();
    await Promise.all([...handles.values()].map((entry) => entry.close()));
    post({ type: 'closed' });
    process.disconnect?.();
  }
}

process.on('message', (message: ParentMessage) => {
  handle(message).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
});
process.on('disconnect', () => process.exit(0));
