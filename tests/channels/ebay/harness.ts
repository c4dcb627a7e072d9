/** The eBay connector and sandbox wired for the conformance suite and the eBay-specific tests. */
import { createChannel } from '../../../daemon/src/channels/ebay/index.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/ebay/index.js';
import type { ConformanceHarness } from '../conformance.js';

export const WEBHOOK_ENDPOINT = 'https://shop.example/v1/webhooks/ebay';

export const ebayHarness: ConformanceHarness = {
  name: 'ebay',
  startSandbox: (options: SandboxOptions) => startSandbox(createSandboxDefinition(), options),
  createChannel: (sandbox: SandboxHandle, overrides = {}) => createChannel({
    baseUrl: sandbox.baseUrl,
    credentials: overrides.credentials ?? { ...sandbox.credentials, notificationEndpoint: WEBHOOK_ENDPOINT },
    ...(overrides.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: overrides.requestTimeoutMs }),
  }),
  wrongCredentials: (sandbox) => ({ ...sandbox.credentials, clientSecret: 'SBX-not-the-cert-id' }),
};
