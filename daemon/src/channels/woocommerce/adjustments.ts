/**
 * Pure parts of the WooCommerce bridge: an absolute target becomes a relative adjustment against
 * the level WooCommerce was last seen holding, with an idempotency key minted from (SKU, version)
 * so a retried push is answered `duplicate` by the plugin and never applied twice.
 */
import { createHash } from 'node:crypto';
import { channelError, type ChannelError } from '../channel.js';

/** contracts/adjustments.schema.json: at most 100 adjustments per request. */
export const ADJUSTMENTS_PER_REQUEST_MAX = 100;
export const ADJUSTMENT_DELTA_MAX = 1_000_000;

export interface Adjustment {
  key: string;
  product_id: number;
  sku: string;
  delta: number;
  reason: 'reconcile';
  reference: string;
}

/** One push moves a product from the level read to the target. The level is part of the key:
 * a retry that reads the same level repeats the key (duplicate, never applied twice); a retry
 * after WooCommerce moved on is a different change and gets its own key. */
export function adjustmentKey(sku: string, version: number, fromLevel: number): string {
  return `shelfguard:push:${Buffer.from(sku, 'utf8').toString('base64url')}:v${version}:from${fromLevel}`;
}

/** The webhook-id of a batch: the same adjustments always carry the same id, so a retry is one message. */
export function messageIdFor(keys: string[]): string {
  return `msg_${createHash('sha256').update(keys.join('\n')).digest('base64url').slice(0, 32)}`;
}

export function planAdjustment(sku: string, productId: number, version: number, target: number, currentLevel: number): Adjustment | undefined {
  const delta = target - currentLevel;
  if (delta === 0) return undefined;
  return { key: adjustmentKey(sku, version, currentLevel), product_id: productId, sku, delta, reason: 'reconcile', reference: `shelfguard://push/${encodeURIComponent(sku)}/v${version}` };
}

/** Per-item rejection codes of contracts/README.md as channel errors; all are final. */
export function rejectionError(code: string | undefined, message: string | undefined): ChannelError {
  const text = `WooCommerce rejected the adjustment: ${code ?? 'rejected'}${message ? ` (${message.slice(0, 200)})` : ''}`;
  switch (code) {
    case 'unknown_product':
      return channelError('not_found', text, { marketplaceCode: code });
    case 'idempotency_conflict':
      return channelError('conflict', text, { marketplaceCode: code });
    default:
      return channelError('invalid_request', text, code ? { marketplaceCode: code } : {});
  }
}
