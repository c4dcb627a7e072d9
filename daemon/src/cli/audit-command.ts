/** `shelfguard audit why <sku>`: a SKU's movements and how each channel's number follows. */
import type { Config } from '../config.js';
import { explainSku, type SkuExplanation } from '../ledger/explain.js';
import { openStore } from '../ledger/store.js';
import { CliError, formatTable, printJson } from './output.js';

function printExplanation(explanation: SkuExplanation): void {
  const out = process.stdout;
  out.write(`${explanation.sku} (${explanation.kind}${explanation.stockHolder !== explanation.sku ? `, shares the stock of ${explanation.stockHolder}` : ''})\n\n`);
  out.write(`${formatTable(['location', 'on hand', 'committed', 'available', 'damaged'], explanation.stock.map((row) => [row.location, row.onHand, row.committed, row.available, row.damaged]))}\n\n`);
  out.write(`movements, oldest first${explanation.movementsTruncated ? ' (first 1,000)' : ''}:\n`);
  out.write(`${formatTable(['when', 'reason', 'on hand', 'committed', 'location', 'channel', 'reference'], explanation.movements.map((movement) => [movement.createdAt, movement.reason, movement.deltaOnHand, movement.deltaCommitted, movement.location, movement.channel, movement.reference]))}\n\n`);
  for (const channel of explanation.channels) {
    out.write(`${channel.channel} (${channel.mode}) shows ${channel.published ?? 'nothing'} for ${channel.channelSku}:\n`);
    for (const step of channel.steps) out.write(`  ${step.step.padEnd(14)} ${String(step.value).padStart(6)}  ${step.detail}\n`);
  }
  if (explanation.oversells.length > 0) {
    out.write('\noversell attempts:\n');
    out.write(`${formatTable(['when', 'channel', 'requested', 'available', 'reference', 'resolution'], explanation.oversells.map((oversell) => [oversell.createdAt, oversell.channel, oversell.requested, oversell.available, oversell.reference, oversell.resolution]))}\n`);
  }
}

export async function auditWhyCommand(config: Config, sku: string, options: { json?: boolean }): Promise<void> {
  const store = await openStore(config.databaseUrl);
  try {
    const explanation = await explainSku(store, sku);
    if (!explanation) throw new CliError(`no SKU ${JSON.stringify(sku)} in the ledger at ${store.description}`);
    if (options.json) printJson(explanation);
    else printExplanation(explanation);
  } finally {
    await store.close();
  }
}
