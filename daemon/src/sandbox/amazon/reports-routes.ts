/**
 * Reports API 2021-06-30 for GET_MERCHANT_LISTINGS_ALL_DATA: createReport queues a report
 * (202 {reportId}), processing runs asynchronously (IN_QUEUE, then IN_PROGRESS, then DONE, each
 * step after asyncDelayMs), getReport gives its status and reportDocumentId, getReportDocument a
 * pre-signed-style URL (5-minute lifetime, signature checked, S3 errors) to the tab-delimited
 * document. Request bodies are validated against reports_2021-06-30.json; refusals use Amazon's
 * ErrorList.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { AccessTokens } from './auth.js';
import { merchantListingsDocument } from './merchant-listings-document.js';
import { sendErrors, sendInvalidInput, sendJson, sendS3Error } from './responses.js';
import { schemaProblems } from './schema-validator.js';
import { sellerPerformanceDocument } from './seller-performance-document.js';

/** "This URL expires after 5 minutes." (reports_2021-06-30.json, ReportDocument.url) */
const DOCUMENT_URL_LIFETIME_MS = 5 * 60 * 1000;
const REPORTS_KEPT_MAX = 500;
/** Each generated report type's document, built from the sandbox's state when processing ends. */
const DOCUMENT_BUILDERS: Record<string, (context: SandboxContext) => string> = {
  GET_MERCHANT_LISTINGS_ALL_DATA: (context) => merchantListingsDocument(context.state.sortedListings()),
  GET_V2_SELLER_PERFORMANCE_REPORT: (context) => sellerPerformanceDocument(context.state, context.credentials.marketplace_id!, context.nowMs()),
};
const GENERATED_REPORT_TYPES = new Set(Object.keys(DOCUMENT_BUILDERS));
/** Report types Amazon knows that this sandbox does not generate (report-type values, AMZ-OLD). */
const KNOWN_REPORT_TYPES = new Set(['GET_MERCHANT_LISTINGS_DATA', 'GET_FLAT_FILE_OPEN_LISTINGS_DATA', 'GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA', 'GET_AFN_INVENTORY_DATA', 'GET_V2_SELLER_PERFORMANCE_REPORT', 'GET_V1_SELLER_PERFORMANCE_REPORT', 'GET_FLAT_FILE_RETURNS_DATA_BY_RETURN_DATE', 'GET_XML_RETURNS_DATA_BY_RETURN_DATE']);

type ProcessingStatus = 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED' | 'FATAL';
interface StoredReport { reportId: string; reportType: string; marketplaceIds: string[]; createdTime: string; processingStatus: ProcessingStatus; processingStartTime?: string; processingEndTime?: string; reportDocumentId?: string }

export function installReportsRoutes(app: Express, context: SandboxContext, tokens: AccessTokens): void {
  const reports = new Map<string, StoredReport>();
  const documents = new Map<string, string>();
  const urlKey = randomBytes(32);
  const sign = (documentId: string, expiresAtMs: number) => createHmac('sha256', urlKey).update(`report:${documentId}:${expiresAtMs}`).digest('hex');
  const iso = () => new Date(context.nowMs()).toISOString();
  const rate = (operation: string) => (context.options.rateLimits === 'documented' ? ({ createReport: 0.0167, getReport: 2, getReportDocument: 0.0167 } as Record<string, number>)[operation] : undefined);

  app.post('/reports/2021-06-30/reports', tokens.require(context), express.json({ type: () => true, limit: '64kb' }), (req: Request, res: Response) => {
    if (!context.admit('createReport', res)) return;
    const problems = schemaProblems('reports-2021-06-30', 'CreateReportSpecification', req.body);
    if (problems.length > 0) return sendInvalidInput(res, 'Request body does not match CreateReportSpecification.', problems.join('; '));
    const spec = req.body as { reportType: string; marketplaceIds: string[] };
    if (!GENERATED_REPORT_TYPES.has(spec.reportType)) {
      return sendInvalidInput(res, `Invalid reportType '${spec.reportType}'.`, KNOWN_REPORT_TYPES.has(spec.reportType) ? `The sandbox generates ${[...GENERATED_REPORT_TYPES].join(' and ')} only.` : 'Refer to Report Type Values for the report types.');
    }
    if (spec.marketplaceIds.length === 0) return sendInvalidInput(res, 'marketplaceIds must name at least one marketplace.');
    const wrongMarketplace = spec.marketplaceIds.find((id) => id !== context.credentials.marketplace_id);
    if (wrongMarketplace) return sendInvalidInput(res, `Invalid marketplaceIds value '${wrongMarketplace}'.`, 'The seller does not participate in this marketplace.');
    if (reports.size >= REPORTS_KEPT_MAX) {
      const oldest = reports.values().next().value!;
      reports.delete(oldest.reportId);
      if (oldest.reportDocumentId) documents.delete(oldest.reportDocumentId);
    }
    const reportId = String(60_000_000_000 + reports.size + Math.floor(context.random() * 1_000_000) * 1_000);
    const report: StoredReport = { reportId, reportType: spec.reportType, marketplaceIds: spec.marketplaceIds, createdTime: iso(), processingStatus: 'IN_QUEUE' };
    reports.set(reportId, report);
    context.later(() => {
      Object.assign(report, { processingStatus: 'IN_PROGRESS', processingStartTime: iso() });
      context.later(() => {
        // The snapshot is taken when processing ends, as Amazon's is some time after the request.
        const reportDocumentId = `amzn1.spdoc.1.4.na.${randomBytes(16).toString('hex')}`;
        documents.set(reportDocumentId, DOCUMENT_BUILDERS[report.reportType]!(context));
        Object.assign(report, { processingStatus: 'DONE', processingEndTime: iso(), reportDocumentId });
      });
    });
    sendJson(res, 202, { reportId }, rate('createReport'));
  });

  app.get('/reports/2021-06-30/reports/:reportId', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getReport', res)) return;
    const report = reports.get(String(req.params.reportId));
    if (!report) return sendErrors(res, 404, [{ code: 'NotFound', message: `Report ${String(req.params.reportId)} not found.` }]);
    sendJson(res, 200, report, rate('getReport'));
  });

  app.get('/reports/2021-06-30/documents/:reportDocumentId', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getReportDocument', res)) return;
    const reportDocumentId = String(req.params.reportDocumentId);
    if (!documents.has(reportDocumentId)) return sendErrors(res, 404, [{ code: 'NotFound', message: `Report document ${reportDocumentId} not found.` }]);
    const expiresAtMs = context.nowMs() + DOCUMENT_URL_LIFETIME_MS;
    const url = `${req.protocol}://${req.get('host')}/_sandbox/amazon/report-documents/${reportDocumentId}?X-Amz-Expires=${expiresAtMs}&X-Amz-Signature=${sign(reportDocumentId, expiresAtMs)}`;
    sendJson(res, 200, { reportDocumentId, url }, rate('getReportDocument'));
  });

  app.get('/_sandbox/amazon/report-documents/:reportDocumentId', (req: Request, res: Response) => {
    const reportDocumentId = String(req.params.reportDocumentId);
    const expiresAtMs = Number(req.query['X-Amz-Expires']);
    const given = String(req.query['X-Amz-Signature'] ?? '');
    const expected = sign(reportDocumentId, expiresAtMs);
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) return sendS3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    if (context.nowMs() > expiresAtMs) return sendS3Error(res, 403, 'AccessDenied', 'Request has expired');
    const content = documents.get(reportDocumentId);
    if (content === undefined) return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    res.status(200).type('text/plain; charset=utf-8').send(content);
  });
}
