/**
 * Etsy pushes read before they write (Etsy replaces the whole inventory). Over real HTTP against
 * the sandbox: pushes sent together share one getListingsByListingIds read, a push alone reads
 * its listing's inventory, and two pushes on variations of one listing at once both land (neither
 * writes back the other's old quantity). The bulk path carries several listings in one call: one
 * read for all of them, a write per listing (variations of one listing share it), never a feed.
 */
import type { Channel, QuantityUpdate } from '../../../daemon/src/channels/channel.js';
import { createChannel } from '../../../daemon/src/channels/etsy/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/etsy/index.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, sandboxQuantity, seedListings } from '../conformance.js';

let sandbox: SandboxHandle;
let channel: Channel;

beforeAll(async () => {
  sandbox = await startSandbox(createSandboxDefinition({ seed: 11 }), { rateLimits: 'unlimited' });
  channel = createChannel({ baseUrl: sandbox.baseUrl, credentials: sandbox.credentials });
});
afterAll(() => sandbox.close());
beforeEach(() => sandboxCall(sandbox, 'POST', '/reset'));

/** Requests the sandbox answered since `from`, as "METHOD path" (the query left out). */
const requestsSince = (from: number) => sandbox.requests.slice(from).filter((request) => request.path.startsWith('/v3/application/listings')).map((request) => `${request.method} ${request.path.replace(/\/\d+\//, '/:id/')}`);

describe('Etsy pushes', () => {
  it('read the inventories of pushes sent together in one getListingsByListingIds call', async () => {
    const listings = await seedListings(sandbox, Array.from({ length: 12 }, (_, index) => ({ sku: `BATCH-${index}`, quantity: 5 })));
    await channel.authenticate();
    const from = sandbox.requests.length;
    const updates: QuantityUpdate[] = listings.map((listing, index) => ({ listing, quantity: index, version: 1 }));
    // As the scheduler sends them: several single pushes started in the same turn.
    const results = await Promise.all(updates.map((update) => channel.pushQuantities([update], 'single')));
    expect(results.flat().map((result) => result.status)).toEqual(updates.map(() => 'applied'));
    for (const [index, listing] of listings.entries()) expect(await sandboxQuantity(sandbox, listing.sku)).toBe(index);
    const made = requestsSince(from);
    expect(made.filter((request) => request === 'GET /v3/application/listings/batch')).toHaveLength(1);
    expect(made.filter((request) => request.startsWith('PUT '))).toHaveLength(12);
    expect(made.filter((request) => request.endsWith('/inventory') && request.startsWith('GET '))).toHaveLength(0);
  });

  it('read a push alone through getListingInventory', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'ALONE-1', quantity: 5 }]);
    await channel.authenticate();
    const from = sandbox.requests.length;
    const [result] = await channel.pushQuantities([{ listing: listing!, quantity: 2, version: 1 }], 'single');
    expect(result!.status).toBe('applied');
    expect(requestsSince(from)).toEqual(['GET /v3/application/listings/:id/inventory', 'PUT /v3/application/listings/:id/inventory']);
  });

  it('answer not_found for a listing the batch read left out, and push the others', async () => {
    const listings = await seedListings(sandbox, [{ sku: 'KEPT-1', quantity: 5 }, { sku: 'KEPT-2', quantity: 5 }]);
    await channel.authenticate();
    const gone: QuantityUpdate = { listing: { sku: 'GONE-1', identifiers: { listingId: '1999999999' } }, quantity: 1, version: 1 };
    const results = await Promise.all([...listings.map((listing) => ({ listing, quantity: 3, version: 1 })), gone].map((update) => channel.pushQuantities([update], 'single')));
    expect(results.flat().map((result) => result.status)).toEqual(['applied', 'applied', 'failed']);
    expect(results[2]![0]!.error?.code).toBe('not_found');
  });

  it('on two variations of one listing at once both land: the second reads what the first wrote', async () => {
    const [, blue, red] = await seedListings(sandbox, [{ sku: 'VAR-PARENT', isParent: true }, { sku: 'VAR-BLUE', quantity: 4, parentSku: 'VAR-PARENT', attributes: { color: 'Blue' } }, { sku: 'VAR-RED', quantity: 2, parentSku: 'VAR-PARENT', attributes: { color: 'Red' } }]);
    expect(blue!.identifiers.listingId).toBe(red!.identifiers.listingId);
    await channel.authenticate();
    const results = await Promise.all([channel.pushQuantities([{ listing: blue!, quantity: 9, version: 1 }], 'single'), channel.pushQuantities([{ listing: red!, quantity: 7, version: 1 }], 'single')]);
    expect(results.flat().map((result) => result.status)).toEqual(['applied', 'applied']);
    expect(await sandboxQuantity(sandbox, 'VAR-BLUE')).toBe(9);
    expect(await sandboxQuantity(sandbox, 'VAR-RED')).toBe(7);
  });

  it('on the bulk path read every listing of the call at once and write each listing once, variations together', async () => {
    const seeded = await seedListings(sandbox, [
      { sku: 'BULK-A', quantity: 5 }, { sku: 'BULK-B', quantity: 5 },
      { sku: 'BULK-PARENT', isParent: true }, { sku: 'BULK-BLUE', quantity: 4, parentSku: 'BULK-PARENT', attributes: { color: 'Blue' } }, { sku: 'BULK-RED', quantity: 2, parentSku: 'BULK-PARENT', attributes: { color: 'Red' } },
    ]);
    const [a, b, , blue, red] = seeded;
    await channel.authenticate();
    const from = sandbox.requests.length;
    const updates: QuantityUpdate[] = [a!, b!, blue!, red!].map((listing, index) => ({ listing, quantity: 10 + index, version: 1 }));
    const results = await channel.pushQuantities(updates, 'bulk');
    expect(results.map((result) => [result.sku, result.status])).toEqual(updates.map((update) => [update.listing.sku, 'applied']));
    for (const update of updates) expect(await sandboxQuantity(sandbox, update.listing.sku)).toBe(update.quantity);
    const made = requestsSince(from);
    // One read, and three writes for three listings (the two variations share theirs): within the
    // scheduler's charge of a read per call and a write per SKU (1 + 4).
    expect(made.filter((request) => request === 'GET /v3/application/listings/batch')).toHaveLength(1);
    expect(made.filter((request) => request.startsWith('PUT '))).toHaveLength(3);
    expect(made.length).toBeLessThanOrEqual(1 + updates.length);
  });

  it('refuse the feed path: Etsy has no inventory feed', async () => {
    const [listing] = await seedListings(sandbox, [{ sku: 'NOFEED-1', quantity: 5 }]);
    const from = sandbox.requests.length;
    const [result] = await channel.pushQuantities([{ listing: listing!, quantity: 2, version: 1 }], 'feed');
    expect(result!.status).toBe('failed');
    expect(result!.error?.code).toBe('unsupported');
    expect(requestsSince(from)).toEqual([]);
  });
});
