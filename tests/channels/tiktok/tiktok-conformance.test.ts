import { createChannel } from '../../../daemon/src/channels/tiktok/index.js';
import { startSandbox } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/tiktok/index.js';
import { describeChannelConformance } from '../conformance.js';

describeChannelConformance({
  name: 'tiktok',
  startSandbox: (options) => startSandbox(createSandboxDefinition(), options),
  createChannel: (sandbox, overrides) => createChannel({
    baseUrl: sandbox.baseUrl,
    credentials: overrides?.credentials ?? sandbox.credentials,
    ...(overrides?.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: overrides.requestTimeoutMs }),
  }),
  wrongCredentials: (sandbox) => ({ ...sandbox.credentials, app_secret: 'not-the-secret' }),
});
