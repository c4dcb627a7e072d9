import { createChannel } from '../../../daemon/src/channels/walmart/index.js';
import { startSandbox } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/walmart/index.js';
import { describeChannelConformance } from '../conformance.js';

describeChannelConformance({
  name: 'walmart',
  startSandbox: (options) => startSandbox(createSandboxDefinition(), options),
  createChannel: (sandbox, overrides) => createChannel({
    baseUrl: sandbox.baseUrl,
    credentials: overrides?.credentials ?? sandbox.credentials,
    ...(overrides?.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: overrides.requestTimeoutMs }),
  }),
  wrongCredentials: (sandbox) => ({ clientId: sandbox.credentials.clientId!, clientSecret: 'not-the-secret' }),
});
