#!/usr/bin/env node
// Runs the daemon's CLI straight from the TypeScript sources, so `npx shelfguard …` works in a
// fresh clone after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../daemon/src/cli.ts');
