#!/usr/bin/env node
// Runs the daemon's CLI straight from the TypeScript sources, so `npx shelfguard …` works in a
// fresh clone after `npm install` with no build step.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every start that its releases from 2027 will need Node 22; the version
// locked here supports Node 20, so that one notice is switched off (the SDK's own setting). Every
// other warning is printed.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../daemon/src/cli.ts');
