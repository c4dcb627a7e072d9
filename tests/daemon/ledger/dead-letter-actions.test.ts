/**
 * An operator's answers to dead letters, on SQLite and MariaDB: retrying a push dead letter queues
 * its listing again (the remembered quantity forgotten, so the ledger's level is pushed even if it
 * equals what was last sent); retrying an inbox dead letter makes its event pending again;
 * resolving only acknowledges. Each dead letter is acted on once, and a malformed id refuses the
 * whole call before anything is written.
 */
import { Catalogue } from '../../../daemon/src/ledger/catalogue.js';
import { listDeadLetters, resolveDeadLetters, retryDeadLetters, unresolvedDeadLetterIds } from '../../../daemon/src/ledger/dead-letters.js';
import { newId } from '../../../daemon/src/ledger/ids.js';
import { openTestStore, STORE_KINDS } from '../../helpers/stores.js';

describe.each(STORE_KINDS)('dead letter actions on %s', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let listingId: number;

  beforeAll(async () => {
    opened = await openTestStore(kind);
    const catalogue = new Catalogue(opened.store);
    await catalogue.upsertLocation('main', 'Main');
    await catalogue.upsertChannel({ code: 'ebay', mode: 'live', locations: ['main'] });
    await catalogue.upsertSku({ code: 'MUG', kind: 'simple' });
    const listing = await catalogue.upsertListing({ channel: 'ebay', sku: 'MUG' });
    if (!listing.ok) throw new Error(listing.error.message);
    listingId = listing.value.id;
  });
  afterAll(() => opened.close());

  const pushDeadLetter = async (listing: number, createdAt = Date.now()) => {
    const id = newId('dl', createdAt);
    await opened.store.db.insertInto('dead_letter').values({ id, kind: 'push', channel: 'ebay', reference: `listing:${listing}:MUG`, payload: '{"sku":"MUG","quantity":4,"version":3}', error: 'server_error: answered 500', attempts: 6, resolved_at: null, created_at: createdAt }).execute();
    return id;
  };

  test('retrying a push dead letter queues its listing with the remembered quantity forgotten, once', async () => {
    await opened.store.db.deleteFrom('outbox').execute();
    await opened.store.db.insertInto('listing_sync').values({ listing_id: listingId, fence: 3, attempts: 0, last_quantity: 4, last_version: 3, last_status: 'dead', updated_at: 1 }).execute();
    const id = await pushDeadLetter(listingId);
    expect((await listDeadLetters(opened.store, { channel: 'ebay' })).map((row) => row.id)).toContain(id);

    const [retried] = await retryDeadLetters(opened.store, [id]);
    expect(retried).toEqual({ id, kind: 'push', channel: 'ebay', outcome: 'requeued', reference: 'MUG' });
    expect(await opened.store.db.selectFrom('outbox').select('listing_id').execute()).toEqual([{ listing_id: listingId }]);
    const sync = await opened.store.db.selectFrom('listing_sync').select(['last_quantity', 'last_status']).where('listing_id', '=', listingId).executeTakeFirstOrThrow();
    expect(sync).toEqual({ last_quantity: null, last_status: null });
    expect((await listDeadLetters(opened.store)).map((row) => row.id)).not.toContain(id);

    expect((await retryDeadLetters(opened.store, [id]))[0]!.outcome).toBe('already_resolved');
    // A fresh one retried twice at once (two operators): one acts, the other finds it resolved.
    await opened.store.db.deleteFrom('outbox').execute();
    const fresh = await pushDeadLetter(listingId);
    const answers = await Promise.all([retryDeadLetters(opened.store, [fresh]), retryDeadLetters(opened.store, [fresh])]);
    expect(answers.map((answer) => answer[0]!.outcome).sort()).toEqual(['already_resolved', 'requeued']);
    expect(await opened.store.db.selectFrom('outbox').select('listing_id').execute()).toHaveLength(1);
  });

  test('retrying an inbox dead letter makes its event pending again', async () => {
    const eventId = 'ebay:evt-7';
    await opened.store.db.insertInto('inbox_event').values({ id: eventId, channel: 'ebay', event_id: 'evt-7', type: 'order.created', order_id: 'O-7', payload: '{}', state: 'failed', attempts: 3, error: 'no SKU NEW-1', next_attempt_at: null, received_at: 1, processed_at: 2 }).execute();
    const id = newId('dl');
    await opened.store.db.insertInto('dead_letter').values({ id, kind: 'inbox', channel: 'ebay', reference: eventId, payload: '{}', error: 'no SKU NEW-1', attempts: 3, resolved_at: null, created_at: Date.now() }).execute();
    const [retried] = await retryDeadLetters(opened.store, [id]);
    expect(retried).toEqual({ id, kind: 'inbox', channel: 'ebay', outcome: 'reopened', reference: eventId });
    expect(await opened.store.db.selectFrom('inbox_event').select(['state', 'attempts', 'error', 'processed_at']).where('id', '=', eventId).executeTakeFirstOrThrow()).toEqual({ state: 'pending', attempts: 0, error: null, processed_at: null });
  });

  test('resolving acknowledges without acting; unknown ids and vanished targets are said so', async () => {
    await opened.store.db.deleteFrom('outbox').execute();
    const kept = await pushDeadLetter(listingId);
    const orphan = await pushDeadLetter(987_654);
    const [resolved] = await resolveDeadLetters(opened.store, [kept]);
    expect(resolved!.outcome).toBe('resolved');
    expect(await opened.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
    const missing = newId('dl');
    const answers = await retryDeadLetters(opened.store, [orphan, missing]);
    expect(answers.map((answer) => answer.outcome)).toEqual(['target_gone', 'not_found']);
    expect(await opened.store.db.selectFrom('outbox').selectAll().execute()).toEqual([]);
  });

  test('a malformed id refuses the whole call and writes nothing', async () => {
    const id = await pushDeadLetter(listingId);
    await expect(retryDeadLetters(opened.store, [id, 'dl_nope'])).rejects.toThrow('"dl_nope" is not a dead letter id');
    await expect(resolveDeadLetters(opened.store, ["x' or 1=1 --"])).rejects.toThrow(/is not a dead letter id/);
    expect(await unresolvedDeadLetterIds(opened.store, 'ebay')).toContain(id);
    await expect(listDeadLetters(opened.store, { limit: 0 })).rejects.toThrow('limit must be from 1 to 1000');
  });
});
