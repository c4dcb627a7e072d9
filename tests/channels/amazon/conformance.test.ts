import { createChannel } from '../../../daemon/src/channels/amazon/index.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/amazon/index.js';
import { startSandbox } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { describeChannelConformance } from '../conformance.js';

describeChannelConformance({
  name: 'amazon',
  startSandbox: (options) => startSandbox(createSandboxDefinition(), options),
  createChannel: (sandbox, overrides = {}) => createChannel({
    baseUrl: sandbox.baseUrl,
    credentials: overrides.credentials ?? sandbox.credentials,
    ...(overrides.requestTimeoutMs ? { requestTimeoutMs: overrides.requestTimeoutMs } : {}),
  }),
  wrongCredentials: (sandbox) => ({ ...sandbox.credentials, client_secret: `${sandbox.credentials.client_secret}x` }),
});
