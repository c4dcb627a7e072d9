/**
 * Amazon's GET_V2_SELLER_PERFORMANCE_REPORT through the Reports API 2021-06-30: createReport,
 * getReport until DONE (bounded), getReportDocument, then the document itself from its
 * pre-signed URL. The JSON document is returned as Amazon wrote it; official-figures.ts maps it.
 * Tokens stay inside SpApiClient; failures are values.
 */
import { channelError, fail, ok, type ChannelConnection, type Result } from '../channel.js';
import { parseJson } from '../http.js';
import { readSettings, SpApiClient } from './sp-api-client.js';

export const SELLER_PERFORMANCE_REPORT_TYPE = 'GET_V2_SELLER_PERFORMANCE_REPORT';
const REPORTS_PATH = '/reports/2021-06-30';
/** getReport is allowed 2 calls a second (reports_2021-06-30.json); one a second leaves room for others. */
export const REPORT_POLL_INTERVAL_MS = 1_000;
/** A seller performance report is small; a few minutes is ample before the next check tries again. */
export const REPORT_WAIT_MS_MAX = 5 * 60_000;

export interface SellerPerformanceOptions {
  pollIntervalMs?: number;
  waitMsMax?: number;
  sleep?: (ms: number) => Promise<void>;
}

const sleepMs = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const invalid = (operation: string, detail: string) => channelError('invalid_response', `${operation}: ${detail}`, { retryable: false });

export class SellerPerformanceClient {
  private constructor(private readonly client: SpApiClient, private readonly options: SellerPerformanceOptions) {}

  /** A client on the connection's credentials, or the failure naming what is missing. */
  static create(connection: ChannelConnection, options: SellerPerformanceOptions = {}): Result<SellerPerformanceClient> {
    const settings = readSettings(connection);
    return settings.ok ? ok(new SellerPerformanceClient(new SpApiClient(connection, settings.value), options)) : settings;
  }

  get marketplaceId(): string {
    return this.client.settings.marketplaceId;
  }

  /** The report document for the connection's marketplace, parsed as JSON. */
  async readReport(): Promise<Result<unknown>> {
    const created = await this.json('createReport', 'POST', `${REPORTS_PATH}/reports`, { reportType: SELLER_PERFORMANCE_REPORT_TYPE, marketplaceIds: [this.marketplaceId] });
    if (!created.ok) return created;
    const reportId = (created.value as { reportId?: unknown } | null)?.reportId;
    if (typeof reportId !== 'string' || reportId === '') return fail(invalid('createReport', 'no reportId'));
    const documentId = await this.awaitDocumentId(reportId);
    if (!documentId.ok) return documentId;
    const document = await this.json('getReportDocument', 'GET', `${REPORTS_PATH}/documents/${encodeURIComponent(documentId.value)}`);
    if (!document.ok) return document;
    const { url, compressionAlgorithm } = (document.value ?? {}) as { url?: unknown; compressionAlgorithm?: unknown };
    if (typeof url !== 'string' || url === '') return fail(invalid('getReportDocument', 'no url'));
    if (compressionAlgorithm !== undefined) return fail(channelError('unsupported', `getReportDocument: ${String(compressionAlgorithm)}-compressed report documents are not read yet`));
    const downloaded = await this.client.transfer('downloadReportDocument', 'GET', url);
    return downloaded.ok ? parseJson(downloaded.value, 'downloadReportDocument') : downloaded;
  }

  private async awaitDocumentId(reportId: string): Promise<Result<string>> {
    const pollIntervalMs = this.options.pollIntervalMs ?? REPORT_POLL_INTERVAL_MS;
    const attemptsMax = Math.max(1, Math.ceil((this.options.waitMsMax ?? REPORT_WAIT_MS_MAX) / pollIntervalMs));
    for (let attempt = 1; attempt <= attemptsMax; attempt += 1) {
      const answer = await this.json('getReport', 'GET', `${REPORTS_PATH}/reports/${encodeURIComponent(reportId)}`);
      if (!answer.ok) return answer;
      const report = (answer.value ?? {}) as { processingStatus?: unknown; reportDocumentId?: unknown };
      if (report.processingStatus === 'DONE') {
        return typeof report.reportDocumentId === 'string' && report.reportDocumentId !== '' ? ok(report.reportDocumentId) : fail(invalid('getReport', `report ${reportId} is DONE without reportDocumentId`));
      }
      if (report.processingStatus === 'CANCELLED' || report.processingStatus === 'FATAL') return fail(channelError('server_error', `getReport: report ${reportId} ended ${report.processingStatus}`, { retryable: false }));
      await (this.options.sleep ?? sleepMs)(pollIntervalMs);
    }
    return fail(channelError('timeout', `getReport: report ${reportId} not DONE after ${attemptsMax} polls`, { retryable: true }));
  }

  private async json(operation: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Result<unknown>> {
    const answer = await this.client.call(operation, method, path, body);
    return answer.ok ? parseJson(answer.value, operation) : answer;
  }
}
