/**
 * Processing one JSON_LISTINGS_FEED document the way Amazon does: the whole document is checked
 * against listings-feed-schema-v2, each message is applied like a listings patch, and a
 * processing report (listings-feed-processing-report-schema-v2) names the messages with issues
 * and, when the header asked for a report, the items it applied.
 */
import type { SandboxState } from '../kit/sandbox-state.js';
import { applyQuantity, itemOf, planQuantityPatch, type ListingIssue, type PatchLike } from './listing-model.js';
import { schemaProblems } from './schema-validator.js';

interface FeedMessage { messageId: number; sku: string; operationType: string; productType?: string; patches?: PatchLike[]; attributes?: Record<string, unknown> }
interface ReportIssue extends Omit<ListingIssue, 'attributeNames' | 'categories'> { messageId?: number; sku?: string; attributeName?: string }

export function processListingsFeed(state: SandboxState, sellerId: string, marketplaceId: string, feedId: string, content: string, nowMs: number): Record<string, unknown> {
  const header = { sellerId, version: '2.0', feedId };
  const fatal = (message: string) => ({ header, issues: [{ code: 'FEED_DOCUMENT_INVALID', severity: 'ERROR', message }], summary: { errors: 1, warnings: 0, messagesProcessed: 0, messagesAccepted: 0, messagesInvalid: 0 } });
  let document: { header?: { sellerId?: string; report?: { includedData?: string[] } }; messages?: FeedMessage[] };
  try {
    document = JSON.parse(content) as typeof document;
  } catch {
    return fatal('The feed document is not valid JSON.');
  }
  const problems = schemaProblems('listings-feed-schema-v2', undefined, document);
  if (problems.length > 0) return fatal(`The feed document does not match the JSON_LISTINGS_FEED schema (v2): ${problems.join('; ')}`);
  if (document.header?.sellerId !== sellerId) return fatal(`header.sellerId '${document.header?.sellerId}' is not the submitting selling partner.`);
  const issues: ReportIssue[] = [];
  const applied: string[] = [];
  let invalid = 0;
  for (const message of document.messages ?? []) {
    const patches = message.operationType === 'PATCH'
      ? message.patches ?? []
      : message.operationType === 'PARTIAL_UPDATE' && message.attributes
        ? Object.entries(message.attributes).map(([name, value]) => ({ op: 'replace', path: `/attributes/${name}`, value }))
        : undefined;
    if (!patches) {
      issues.push({ messageId: message.messageId, sku: message.sku, code: 'UNSUPPORTED_OPERATION', severity: 'ERROR', message: `The sandbox models quantity messages only (PATCH, PARTIAL_UPDATE), not ${message.operationType}.` });
      invalid += 1;
      continue;
    }
    const plan = planQuantityPatch(state.listings.get(message.sku), message.sku, message.productType ?? '', patches);
    const errors = plan.issues.filter((issue) => issue.severity === 'ERROR');
    for (const issue of plan.issues) {
      const { attributeNames, categories: _categories, ...rest } = issue;
      issues.push({ messageId: message.messageId, sku: message.sku, ...rest, ...(attributeNames?.[0] ? { attributeName: attributeNames[0] } : {}) });
    }
    if (errors.length > 0) { invalid += 1; continue; }
    if (plan.quantity !== undefined) applyQuantity(state, message.sku, plan.quantity, nowMs);
    applied.push(message.sku);
  }
  const processed = document.messages?.length ?? 0;
  const errorCount = issues.filter((issue) => issue.severity === 'ERROR').length;
  const warningCount = issues.filter((issue) => issue.severity === 'WARNING').length;
  const includedData = document.header?.report?.includedData;
  const report: Record<string, unknown> = {
    header: includedData ? { ...header, report: { includedData, apiVersion: '2021-08-01' } } : header,
    issues,
    summary: { errors: errorCount, warnings: warningCount, messagesProcessed: processed, messagesAccepted: processed - invalid, messagesInvalid: invalid },
  };
  if (includedData) {
    const items = applied.flatMap((sku) => { const listing = state.listings.get(sku); return listing ? [itemOf(listing, state, marketplaceId, includedData)] : []; });
    report.items = items;
    (report.summary as Record<string, unknown>).itemSummary = { items: items.length, errors: 0, warnings: 0 };
  }
  return report;
}
