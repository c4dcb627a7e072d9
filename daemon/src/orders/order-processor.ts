/**
 * Applies a marketplace order to the ledger, line by line: a new order reserves stock from the
 * channel's locations in priority order (Amazon AFN orders only from a marketplace location such
 * as FBA, never merchant stock), shipment commits, cancellation releases, a received return
 * restocks by condition. Every step's key is minted from (channel, order, line, step), so
 * replays and duplicate notifications change nothing twice.
 */
import type { ChannelOrder, ChannelOrderLine } from '../channels/channel.js';
import type { Ledger } from '../ledger/ledger.js';
import type { LedgerResult } from '../ledger/ledger-types.js';
import type { IntentReply } from '../ledger/intents.js';
import type { Store } from '../ledger/store.js';
import { planLine, stateAfter, type LineState, type StockState, type StockStep } from './order-line-state.js';

export interface OversellAlert {
  channel: string;
  orderId: string;
  lineId: string;
  sku: string;
  quantity: number;
  detail: Record<string, unknown>;
}

export interface LineResult {
  lineId: string;
  steps: StockStep[];
  stockState: StockState;
}

export type ApplyResult = { ok: true; lines: LineResult[] } | { ok: false; retryable: boolean; message: string };

/** Who cancelled a cancelled line, as the connector mapped the marketplace's cancel payload; a
 * cancel that names no cause is `unknown`, never the buyer's, so it is not silently excused. */
export function cancelReasonOf(order: Pick<ChannelOrder, 'status'>, line: Pick<ChannelOrderLine, 'cancelReason'>): string | null {
  return order.status === 'cancelled' ? line.cancelReason ?? 'unknown' : null;
}

/** A cause once known is kept: a later payload that names none (Amazon's ORDER_CHANGE summary,
 * a TikTok webhook) must not turn it back into `unknown`, and one that names it fills it in. */
export function mergedCancelReason(stored: string | null, incoming: string | null): string | null {
  return incoming === 'unknown' && stored !== null && stored !== 'unknown' ? stored : incoming;
}

export class OrderProcessor {
  constructor(private readonly store: Store, private readonly ledger: Ledger, private readonly onOversell: (alert: OversellAlert) => void = () => {}, private readonly nowMs: () => number = Date.now) {}

  async apply(channel: string, order: ChannelOrder): Promise<ApplyResult> {
    const locations = await this.locationsOf(channel, order.fulfillment);
    if (locations === undefined) return { ok: false, retryable: false, message: `no channel ${channel} in the catalogue` };
    const updatedAtMs = Date.parse(order.updatedAt);
    if (!Number.isFinite(updatedAtMs)) return { ok: false, retryable: false, message: `order ${order.orderId} has no valid updatedAt` };
    const lines: LineResult[] = [];
    for (const line of order.lines) {
      const result = await this.applyLine(channel, order, line, updatedAtMs, locations);
      if (!result.ok) return result;
      lines.push(result.line);
    }
    return { ok: true, lines };
  }

  private async applyLine(channel: string, order: ChannelOrder, line: ChannelOrderLine, updatedAtMs: number, locations: string[]): Promise<{ ok: true; line: LineResult } | { ok: false; retryable: boolean; message: string }> {
    const row = await this.store.db.selectFrom('order_line').selectAll().where('channel', '=', channel).where('order_id', '=', order.orderId).where('line_id', '=', line.lineId).executeTakeFirst();
    const current: LineState | undefined = row ? { status: row.status as LineState['status'], sourceUpdatedAtMs: Number(row.source_updated_at), stockState: row.stock_state as StockState } : undefined;
    const plan = planLine(current, { status: order.status, updatedAtMs }, locations.length === 0);
    if (!plan.newer) {
      // The same cancel seen again, perhaps by a poll whose payload names who cancelled: fill in a
      // cause not known yet, nothing else (an older payload never replaces a cause already named).
      const isUnnamed = row !== undefined && row.status === 'cancelled' && (row.cancel_reason ?? 'unknown') === 'unknown';
      const reason = isUnnamed && order.status === 'cancelled' ? cancelReasonOf(order, line) : row?.cancel_reason;
      if (row && reason !== row.cancel_reason) await this.store.db.updateTable('order_line').set({ cancel_reason: reason, updated_at: this.nowMs() }).where('channel', '=', channel).where('order_id', '=', order.orderId).where('line_id', '=', line.lineId).execute();
      return { ok: true, line: { lineId: line.lineId, steps: [], stockState: current!.stockState } };
    }
    const sku = await this.ledgerSkuOf(channel, line.sku);
    let stockState: StockState = current?.stockState ?? (locations.length === 0 ? 'external' : 'none');
    const base = `${channel}:order:${order.orderId}:line:${line.lineId}`;
    const ref = { channel, orderRef: order.orderId, lineRef: line.lineId, actor: `orders:${channel}`, reference: `${channel}://order/${order.orderId}/line/${line.lineId}` };
    for (const step of plan.steps) {
      let reply: LedgerResult<IntentReply>;
      if (step === 'reserve') reply = await this.ledger.reserve({ ...ref, key: `${base}:reserve`, sku, quantity: line.quantity, locations });
      else if (step === 'commit') reply = await this.ledger.commitReservation({ ...ref, key: `${base}:commit` });
      else if (step === 'release') reply = await this.ledger.releaseReservation({ ...ref, key: `${base}:release` });
      else if (step === 'restock') reply = await this.ledger.restock({ ...ref, key: `${base}:restock`, sku, location: locations[0]!, quantity: line.quantity, condition: line.condition ?? 'sellable' });
      else {
        await this.ledger.resolveOversell(`${base}:reserve`, 'cancelled');
        reply = { ok: true, value: { status: 'applied', outcome: { result: 'applied', movements: 0, detail: {} } } };
      }
      if (!reply.ok) return { ok: false, retryable: false, message: `${step} of ${base} failed: ${reply.error.code}: ${reply.error.message}` };
      const result = reply.value.outcome.result;
      stockState = stateAfter(step, result);
      if (result === 'oversold') {
        this.onOversell({ channel, orderId: order.orderId, lineId: line.lineId, sku, quantity: line.quantity, detail: reply.value.outcome.detail });
        break;
      }
    }
    await this.saveLine(channel, order, line, sku, updatedAtMs, stockState, row);
    return { ok: true, line: { lineId: line.lineId, steps: plan.steps, stockState } };
  }

  private async saveLine(channel: string, order: ChannelOrder, line: ChannelOrderLine, sku: string, updatedAtMs: number, stockState: StockState, existing: { cancel_reason: string | null } | undefined): Promise<void> {
    const now = this.nowMs();
    const placedAtMs = Date.parse(order.createdAt);
    const values = {
      sku, quantity: line.quantity, fulfillment: order.fulfillment, status: order.status, source_updated_at: updatedAtMs, stock_state: stockState, updated_at: now,
      cancel_reason: mergedCancelReason(existing?.cancel_reason ?? null, cancelReasonOf(order, line)), placed_at: Number.isFinite(placedAtMs) ? placedAtMs : null,
    };
    if (existing) await this.store.db.updateTable('order_line').set(values).where('channel', '=', channel).where('order_id', '=', order.orderId).where('line_id', '=', line.lineId).execute();
    else await this.store.db.insertInto('order_line').values({ channel, order_id: order.orderId, line_id: line.lineId, created_at: now, ...values }).execute();
  }

  /** Merchant orders: the channel's warehouses by priority. Marketplace-fulfilled: its marketplace locations only. */
  private async locationsOf(channel: string, fulfillment: ChannelOrder['fulfillment']): Promise<string[] | undefined> {
    const known = await this.store.db.selectFrom('channel').select('id').where('code', '=', channel).executeTakeFirst();
    if (!known) return undefined;
    const rows = await this.store.db.selectFrom('channel_location').innerJoin('location', 'location.id', 'channel_location.location_id')
      .select(['location.code', 'location.kind']).where('channel_location.channel_id', '=', known.id).orderBy('channel_location.priority').execute();
    return rows.filter((row) => row.kind === (fulfillment === 'marketplace' ? 'marketplace' : 'warehouse')).map((row) => row.code);
  }

  /** The channel's SKU as the ledger knows it (listings may map a different channel SKU). */
  private async ledgerSkuOf(channel: string, channelSku: string): Promise<string> {
    const row = await this.store.db.selectFrom('listing').innerJoin('channel', 'channel.id', 'listing.channel_id').innerJoin('sku', 'sku.id', 'listing.sku_id')
      .select('sku.code').where('channel.code', '=', channel).where('listing.channel_sku', '=', channelSku).executeTakeFirst();
    return row?.code ?? channelSku;
  }
}
