/**
 * An independent client against the sandbox: openapi-client-axios, driven by Walmart's official
 * OpenAPI files (shared/specs/walmart), calls the operations by their operationIds. The sandbox
 * must satisfy a client generated from the model, not only our own connector.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OpenAPIClientAxios, type Document } from 'openapi-client-axios';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/walmart/index.js';
import { seedListings } from '../conformance.js';

const specsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/specs/walmart');
const haveSpecs = existsSync(join(specsDir, 'inventory.json'));
// The official files live beside the repository (../shared); without them there is nothing independent to drive.
const maybe = haveSpecs ? describe : describe.skip;

async function client(sandbox: SandboxHandle, file: string) {
  const definition = JSON.parse(readFileSync(join(specsDir, file), 'utf8')) as Document;
  const api = new OpenAPIClientAxios({ definition, withServer: { url: sandbox.baseUrl }, axiosConfigDefaults: { validateStatus: () => true } });
  return api.init<any>();
}

maybe('openapi-client-axios driven by the official Walmart model', () => {
  let sandbox: SandboxHandle;
  beforeAll(async () => { sandbox = await startSandbox(createSandboxDefinition({ seed: 3 }), { rateLimits: 'unlimited' }); });
  afterAll(() => sandbox.close());

  test('gets a token, updates and reads inventory, and pages all inventories by operationId', async () => {
    await seedListings(sandbox, [{ sku: 'IND-1', quantity: 1 }, { sku: 'IND-2', quantity: 2 }]);
    const auth = await client(sandbox, 'auth.json');
    const tokenResponse = await auth.tokenAPI(null, 'grant_type=client_credentials', {
      headers: {
        Authorization: `Basic ${Buffer.from(`${sandbox.credentials.clientId}:${sandbox.credentials.clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        'WM_SVC.NAME': 'Walmart Marketplace',
        'WM_QOS.CORRELATION_ID': randomUUID(),
      },
    });
    expect(tokenResponse.status).toBe(200);
    expect(tokenResponse.data).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const headers = () => ({ 'WM_SEC.ACCESS_TOKEN': tokenResponse.data.access_token as string, 'WM_SVC.NAME': 'Walmart Marketplace', 'WM_QOS.CORRELATION_ID': randomUUID() });

    const inventory = await client(sandbox, 'inventory.json');
    const updated = await inventory.updateInventoryForAnItem({ sku: 'IND-2' }, { sku: 'IND-2', quantity: { unit: 'EACH', amount: 42 } }, { headers: headers() });
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual({ sku: 'IND-2', quantity: { unit: 'EACH', amount: 42 } });
    const read = await inventory.getInventory({ sku: 'IND-2' }, null, { headers: headers() });
    expect(read.data.quantity.amount).toBe(42);

    const skus: string[] = [];
    let nextCursor: string | undefined;
    do {
      const page = await inventory.getMultiNodeInventoryForAllSkuAndAllShipNodes({ limit: '1', ...(nextCursor ? { nextCursor } : {}) }, null, { headers: headers() });
      expect(page.status).toBe(200);
      skus.push(...(page.data.elements.inventories as Array<{ sku: string }>).map((entry) => entry.sku));
      nextCursor = page.data.meta.nextCursor;
    } while (nextCursor);
    expect(skus).toEqual(['IND-1', 'IND-2']);

    const refused = await inventory.getInventory({ sku: 'IND-2' }, null, { headers: { ...headers(), 'WM_SEC.ACCESS_TOKEN': 'expired' } });
    expect(refused.status).toBe(401);
  });
});
