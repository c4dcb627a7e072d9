/**
 * GET /v1/admin/skus and /v1/admin/skus/lint over real HTTP: variations name their parent and the
 * pool they share, kits list their components and the kits those make (pool members counted once),
 * and every lint finding names the SKUs it concerns.
 */
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { STORE_KINDS, type StoreKind } from '../../helpers/stores.js';

describe.each(STORE_KINDS)('the SKU structure and lint routes on %s', (kind: StoreKind) => {
  let daemon: TestDaemon;

  beforeAll(async () => {
    daemon = await startTestDaemon(kind);
    const { catalogue, ledger } = daemon.daemon;
    const ok = (result: { ok: boolean }) => expect(result.ok).toBe(true);
    ok(await catalogue.upsertChannel({ code: 'ebay', mode: 'shadow' }));
    ok(await catalogue.upsertSku({ code: 'SHIRT', name: 'Shirt', kind: 'variable' }));
    for (const size of ['S', 'M']) ok(await catalogue.upsertSku({ code: `SHIRT-${size}`, kind: 'variation', parent: 'SHIRT', usesParentStock: true }));
    ok(await catalogue.upsertSku({ code: 'SHIRT-L', kind: 'variation', parent: 'SHIRT' }));
    for (const code of ['CUP', 'SAUCER', 'TEA CUP', 'TEACUP']) ok(await catalogue.upsertSku({ code, kind: 'simple' }));
    for (const code of ['GIFT', 'SHIRT-PAIR']) ok(await catalogue.upsertSku({ code, kind: 'kit' }));
    ok(await catalogue.setKitComponents('GIFT', [{ sku: 'CUP', quantity: 1 }, { sku: 'SAUCER', quantity: 2 }]));
    ok(await catalogue.setKitComponents('SHIRT-PAIR', [{ sku: 'SHIRT-S', quantity: 1 }, { sku: 'SHIRT-M', quantity: 1 }]));
    for (const [sku, delta] of [['SHIRT', 7], ['SHIRT-L', 2], ['CUP', 5], ['SAUCER', 7]] as const) {
      ok(await ledger.adjust({ key: `structure:${sku}`, channel: null, actor: 'test', sku, location: 'main', delta, reason: 'received' }));
    }
    for (const sku of ['SHIRT-S', 'SHIRT-M', 'SHIRT-L', 'CUP', 'GIFT', 'SHIRT-PAIR', 'TEA CUP', 'TEACUP']) ok(await catalogue.upsertListing({ channel: 'ebay', sku }));
  });
  afterAll(async () => { await daemon?.stop(); });

  const skus = async () => {
    const answer = await daemon.admin('/v1/admin/skus?limit=1000');
    expect(answer.status).toBe(200);
    return new Map((answer.json.skus as Array<{ sku: string }>).map((sku) => [sku.sku, sku as Record<string, unknown>]));
  };

  test('variations name their parent, and those sharing its stock name the pool', async () => {
    const rows = await skus();
    expect(rows.get('SHIRT')).toMatchObject({ kind: 'variable', parent: null, pool: null, onHand: 7, available: 7 });
    expect(rows.get('SHIRT-S')).toMatchObject({ kind: 'variation', parent: 'SHIRT', pool: 'SHIRT', sharesParentStock: true });
    expect(rows.get('SHIRT-L')).toMatchObject({ kind: 'variation', parent: 'SHIRT', pool: null, sharesParentStock: false, available: 2 });
    expect(rows.get('CUP')).not.toHaveProperty('components');
  });

  test('a kit lists its components and makes as many kits as its scarcest component allows', async () => {
    const rows = await skus();
    expect(rows.get('GIFT')).toMatchObject({ components: [{ sku: 'CUP', quantity: 1, available: 5 }, { sku: 'SAUCER', quantity: 2, available: 7 }], kitAvailable: 3 });
  });

  test('components drawing on one pool count once: two variations of a pool of 7 make 3 pairs', async () => {
    const rows = await skus();
    expect(rows.get('SHIRT-PAIR')).toMatchObject({ components: [{ sku: 'SHIRT-M', quantity: 1, available: 7 }, { sku: 'SHIRT-S', quantity: 1, available: 7 }], kitAvailable: 3 });
  });

  test('each lint finding names the SKUs it concerns, without reading SHIRT-L as SHIRT or TEA CUP as CUP', async () => {
    const answer = await daemon.admin('/v1/admin/skus/lint');
    expect(answer.status).toBe(200);
    const findings = answer.json.findings as Array<{ kind: string; message: string; skus: string[] }>;
    expect(findings.find((finding) => finding.kind === 'near_duplicate_sku')?.skus).toEqual(['TEA CUP', 'TEACUP']);
    expect(findings.find((finding) => finding.kind === 'pool_pushed_per_variation')?.skus).toEqual(['SHIRT']);
    expect(findings.filter((finding) => finding.kind === 'unlisted_sku').map((finding) => finding.skus)).toEqual([['SAUCER']]);
    expect(findings.find((finding) => finding.kind === 'duplicate_channel_sku')?.skus).toEqual(['TEA CUP', 'TEACUP']);
  });

  test('the lint route takes no query parameters', async () => {
    const answer = await daemon.admin('/v1/admin/skus/lint?channel=ebay');
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_query');
  });
});
