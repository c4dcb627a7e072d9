import { createChannel } from '../../../daemon/src/channels/woocommerce/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/woocommerce/index.js';
import { startSandbox } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { describeChannelConformance } from '../conformance.js';

describeChannelConformance({
  name: 'woocommerce',
  startSandbox: (options) => startSandbox(createSandboxDefinition(), options),
  createChannel: (sandbox, overrides = {}) => createChannel({
    baseUrl: sandbox.baseUrl,
    credentials: overrides.credentials ?? sandbox.credentials,
    ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}),
  }),
  wrongCredentials: (sandbox) => ({ ...sandbox.credentials, applicationPassword: 'wrong wrong wrong wrong wrong wron' }),
  // Orders and stock events come through the plugin's own events endpoint; the plugin has no rate limit.
  capabilities: { readsOrders: false, pushesNotifications: false, hasRateLimits: false },
});
