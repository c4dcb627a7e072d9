/**
 * The GET_MERCHANT_LISTINGS_ALL_DATA report, parsed without I/O. Amazon's flat files are
 * tab-delimited with a header row of hyphenated column names (item-name, item-description,
 * listing-id, seller-sku, price, quantity, open-date, …, asin1, …, fulfillment-channel,
 * merchant-shipping-group, status). Marketplaces add or drop columns, so columns are found by
 * header name, never by position. Fields are normally bare; a field that starts with a double
 * quote is read as quoted ("" is one quote, tabs and line breaks may sit inside). Lines end in
 * LF or CRLF. AFN (FBA) rows carry no merchant quantity, and neither do variation parents.
 */
import type { ChannelQuantity } from '../channel.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export const MERCHANT_LISTINGS_REPORT_TYPE = 'GET_MERCHANT_LISTINGS_ALL_DATA';
/** fulfillment-channel of a merchant-fulfilled row; AFN rows say AMAZON_NA, AMAZON_EU, … */
const MERCHANT_CHANNEL = 'DEFAULT';
const AFN_CHANNEL_PREFIX = 'AMAZON';
const REQUIRED_COLUMNS = ['seller-sku', 'quantity'] as const;

export interface MerchantListingRow {
  /** 1-based line of the row in the document (the header is line 1). */
  line: number;
  sku: string;
  /** Undefined where the report leaves quantity empty: AFN rows and variation parents. */
  quantity?: number;
  /** fulfillment-channel as written, DEFAULT when the column is absent. */
  fulfillmentChannel: string;
  fulfilledByAmazon: boolean;
  asin?: string;
  listingId?: string;
  status?: string;
}

/**
 * Splits tab-delimited text into rows of fields. Blank lines are dropped. Fails only on a quoted
 * field that never closes, which would otherwise swallow the rest of the document.
 */
export function parseTabDelimited(text: string): Parsed<string[][]> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let index = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"' && field === '') {
      // A quoted field: runs to a quote followed by a delimiter, a line end or the end of text.
      const startLine = line;
      index += 1;
      let closed = false;
      while (index < text.length) {
        const inner = text[index]!;
        if (inner === '"') {
          const next = text[index + 1];
          if (next === '"') { field += '"'; index += 2; continue; }
          if (next === undefined || next === '\t' || next === '\n' || next === '\r') { index += 1; closed = true; break; }
          // A stray quote inside a quoted field is kept as text rather than failing the report.
          field += '"';
          index += 1;
          continue;
        }
        if (inner === '\n') line += 1;
        field += inner;
        index += 1;
      }
      if (!closed) return { ok: false, message: `quoted field opened on line ${startLine} never closes` };
      continue;
    }
    if (char === '\t') { row.push(field); field = ''; index += 1; continue; }
    if (char === '\r' || char === '\n') {
      endRow();
      index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
      line += 1;
      continue;
    }
    field += char;
    index += 1;
  }
  if (field !== '' || row.length > 0) endRow();
  return { ok: true, value: rows };
}

/** The rows of a merchant listings report, by header name; fails on a document it cannot read. */
export function parseMerchantListingsReport(text: string): Parsed<MerchantListingRow[]> {
  const table = parseTabDelimited(text);
  if (!table.ok) return table;
  const [header, ...records] = table.value;
  if (!header) return { ok: true, value: [] };
  const columns = new Map(header.map((name, position) => [name.trim().toLowerCase(), position]));
  const missing = REQUIRED_COLUMNS.filter((name) => !columns.has(name));
  if (missing.length > 0) return { ok: false, message: `header row lacks ${missing.join(', ')} (got ${header.slice(0, 8).join(', ')}${header.length > 8 ? ', …' : ''})` };
  const cell = (record: string[], name: string): string => {
    const position = columns.get(name);
    return position === undefined ? '' : (record[position] ?? '').trim();
  };
  const rows: MerchantListingRow[] = [];
  for (const [offset, record] of records.entries()) {
    const line = offset + 2;
    const sku = cell(record, 'seller-sku');
    if (sku === '') return { ok: false, message: `line ${line} has no seller-sku` };
    const quantityText = cell(record, 'quantity');
    if (quantityText !== '' && !/^\d+$/.test(quantityText)) return { ok: false, message: `line ${line} (SKU ${sku}) has quantity ${JSON.stringify(quantityText.slice(0, 20))}, not a non-negative integer` };
    const fulfillmentChannel = cell(record, 'fulfillment-channel') || MERCHANT_CHANNEL;
    const row: MerchantListingRow = { line, sku, fulfillmentChannel, fulfilledByAmazon: fulfillmentChannel.toUpperCase().startsWith(AFN_CHANNEL_PREFIX) };
    if (quantityText !== '') row.quantity = Number(quantityText);
    const asin = cell(record, 'asin1');
    if (asin) row.asin = asin;
    const listingId = cell(record, 'listing-id');
    if (listingId) row.listingId = listingId;
    const status = cell(record, 'status');
    if (status) row.status = status;
    rows.push(row);
  }
  return { ok: true, value: rows };
}

/**
 * The merchant-fulfilled quantities in report rows, one per SKU (first row wins). AFN rows are
 * left to the FBA inventory API; rows without a quantity (variation parents) carry none to read.
 */
export function merchantQuantitiesFromRows(rows: readonly MerchantListingRow[]): ChannelQuantity[] {
  const seen = new Set<string>();
  const quantities: ChannelQuantity[] = [];
  for (const row of rows) {
    if (row.fulfilledByAmazon || row.quantity === undefined || seen.has(row.sku)) continue;
    seen.add(row.sku);
    const identifiers: Record<string, string> = { fulfillmentChannelCode: MERCHANT_CHANNEL };
    if (row.asin) identifiers.asin = row.asin;
    if (row.listingId) identifiers.listingId = row.listingId;
    quantities.push({ listing: { sku: row.sku, identifiers }, quantity: row.quantity });
  }
  return quantities;
}
