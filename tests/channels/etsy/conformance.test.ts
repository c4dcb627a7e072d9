import { createChannel } from '../../../daemon/src/channels/etsy/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/etsy/index.js';
import { startSandbox } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { describeChannelConformance } from '../conformance.js';

describeChannelConformance({
  name: 'etsy',
  startSandbox: (options) => startSandbox(createSandboxDefinition(), options),
  createChannel: (sandbox, overrides = {}) => createChannel({
    baseUrl: sandbox.baseUrl,
    credentials: overrides.credentials ?? sandbox.credentials,
    ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}),
  }),
  wrongCredentials: (sandbox) => ({ ...sandbox.credentials, keystring: 'wrongkeystring000000000', sharedSecret: 'wrongsecret', refreshToken: '12345.not-a-refresh-token' }),
});
