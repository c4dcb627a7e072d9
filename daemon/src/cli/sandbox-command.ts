/** `shelfguard sandbox <marketplace>`: one protocol-faithful marketplace on a local port. */
import { existsSync } from 'node:fs';
import { startSandbox, type MarketplaceSandbox, type SandboxOptions } from '../sandbox/kit/sandbox-server.js';
import { CliError } from './output.js';
import { SANDBOX_NAMES } from './sandbox-names.js';

export async function loadSandboxDefinition(marketplace: string): Promise<MarketplaceSandbox> {
  if (!SANDBOX_NAMES.includes(marketplace)) throw new CliError(`unknown marketplace ${JSON.stringify(marketplace)}; one of ${SANDBOX_NAMES.join(', ')}`, 2);
  const moduleUrl = new URL(`../sandbox/${marketplace}/index.ts`, import.meta.url);
  if (!existsSync(moduleUrl)) throw new CliError(`the ${marketplace} sandbox is not built yet`);
  const module = (await import(moduleUrl.href)) as { createSandboxDefinition?: (options?: { seed?: number }) => MarketplaceSandbox };
  if (typeof module.createSandboxDefinition !== 'function') throw new CliError(`the ${marketplace} sandbox module exports no createSandboxDefinition`);
  return module.createSandboxDefinition();
}

export async function sandboxCommand(marketplace: string, options: SandboxOptions): Promise<void> {
  const definition = await loadSandboxDefinition(marketplace);
  const handle = await startSandbox(definition, options);
  const extra = definition.describe?.(handle.context) ?? {};
  process.stdout.write(`${JSON.stringify({ marketplace, baseUrl: handle.baseUrl, credentials: handle.credentials, ...extra })}\n`);
  const stop = () => { void handle.close().then(() => process.exit(0)); };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
