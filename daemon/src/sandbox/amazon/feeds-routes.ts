/**
 * Feeds API 2021-06-30 with the document storage it hands out: createFeedDocument returns a
 * pre-signed-style URL (served under /_sandbox/amazon/documents/, refusing a wrong signature,
 * an expired URL or a different Content-Type the way S3 does), createFeed queues the feed,
 * processing runs after asyncDelayMs, and getFeed / getFeedDocument give the processing report.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import type { AccessTokens } from './auth.js';
import { processListingsFeed } from './feed-processing.js';
import { sendErrors, sendInvalidInput, sendJson, sendS3Error } from './responses.js';
import { schemaProblems } from './schema-validator.js';

/** "This URL expires after 5 minutes." (feeds_2021-06-30.json) */
const DOCUMENT_URL_LIFETIME_MS = 5 * 60 * 1000;
/** A 25,000-message feed of quantity patches is about 6 MB; leave room for verbose ones. */
const DOCUMENT_BYTES_MAX = '50mb';
const DOCUMENTS_KEPT_MAX = 2_000;
const SUPPORTED_FEED_TYPES = new Set(['JSON_LISTINGS_FEED']);

interface StoredDocument { contentType: string; content?: string }
interface StoredFeed { feedId: string; feedType: string; marketplaceIds: string[]; createdTime: string; processingStatus: 'IN_QUEUE' | 'IN_PROGRESS' | 'DONE' | 'FATAL' | 'CANCELLED'; processingStartTime?: string; processingEndTime?: string; resultFeedDocumentId?: string }

export function installFeedsRoutes(app: Express, context: SandboxContext, tokens: AccessTokens): void {
  const documents = new Map<string, StoredDocument>();
  const feeds = new Map<string, StoredFeed>();
  const urlKey = randomBytes(32);
  const sign = (documentId: string, expiresAtMs: number) => createHmac('sha256', urlKey).update(`${documentId}:${expiresAtMs}`).digest('hex');
  const presignedUrl = (req: Request, documentId: string) => {
    const expiresAtMs = context.nowMs() + DOCUMENT_URL_LIFETIME_MS;
    return `${req.protocol}://${req.get('host')}/_sandbox/amazon/documents/${documentId}?X-Amz-Expires=${expiresAtMs}&X-Amz-Signature=${sign(documentId, expiresAtMs)}`;
  };
  const store = (documentId: string, document: StoredDocument) => {
    if (documents.size >= DOCUMENTS_KEPT_MAX) documents.delete(documents.keys().next().value!);
    documents.set(documentId, document);
  };
  const newDocumentId = () => `amzn1.tortuga.4.na.${randomBytes(12).toString('hex')}`;

  app.post('/feeds/2021-06-30/documents', tokens.require(context), express.json({ type: () => true, limit: '64kb' }), (req: Request, res: Response) => {
    if (!context.admit('createFeedDocument', res)) return;
    const problems = schemaProblems('feeds-2021-06-30', 'CreateFeedDocumentSpecification', req.body);
    if (problems.length > 0) return sendInvalidInput(res, 'Request body does not match CreateFeedDocumentSpecification.', problems.join('; '));
    const feedDocumentId = newDocumentId();
    store(feedDocumentId, { contentType: (req.body as { contentType: string }).contentType });
    sendJson(res, 201, { feedDocumentId, url: presignedUrl(req, feedDocumentId) });
  });

  const checkPresigned = (req: Request, res: Response): StoredDocument | undefined => {
    const documentId = String(req.params.documentId);
    const expiresAtMs = Number(req.query['X-Amz-Expires']);
    const given = String(req.query['X-Amz-Signature'] ?? '');
    const expected = sign(documentId, expiresAtMs);
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) { sendS3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.'); return undefined; }
    if (context.nowMs() > expiresAtMs) { sendS3Error(res, 403, 'AccessDenied', 'Request has expired'); return undefined; }
    const document = documents.get(documentId);
    if (!document) { sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.'); return undefined; }
    return document;
  };

  app.put('/_sandbox/amazon/documents/:documentId', express.text({ type: () => true, limit: DOCUMENT_BYTES_MAX }), (req: Request, res: Response) => {
    const document = checkPresigned(req, res);
    if (!document) return;
    // S3 signs the Content-Type into the URL: uploading with another one fails the signature.
    if ((req.get('content-type') ?? '') !== document.contentType) return sendS3Error(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
    // The shared /_sandbox router parses JSON bodies before this route runs; JSON survives a re-serialisation.
    document.content = typeof req.body === 'string' ? req.body : Buffer.isBuffer(req.body) ? req.body.toString('utf8') : req.body === undefined ? '' : JSON.stringify(req.body);
    res.status(200).set('ETag', `"${createHash('md5').update(document.content).digest('hex')}"`).end();
  });

  app.get('/_sandbox/amazon/documents/:documentId', (req: Request, res: Response) => {
    const document = checkPresigned(req, res);
    if (!document) return;
    if (document.content === undefined) return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.');
    res.status(200).type(document.contentType).send(document.content);
  });

  app.post('/feeds/2021-06-30/feeds', tokens.require(context), express.json({ type: () => true, limit: '64kb' }), (req: Request, res: Response) => {
    if (!context.admit('createFeed', res)) return;
    const problems = schemaProblems('feeds-2021-06-30', 'CreateFeedSpecification', req.body);
    if (problems.length > 0) return sendInvalidInput(res, 'Request body does not match CreateFeedSpecification.', problems.join('; '));
    const spec = req.body as { feedType: string; marketplaceIds: string[]; inputFeedDocumentId: string };
    if (!SUPPORTED_FEED_TYPES.has(spec.feedType)) return sendInvalidInput(res, `Invalid feedType '${spec.feedType}'.`, 'The sandbox processes JSON_LISTINGS_FEED.');
    const wrongMarketplace = spec.marketplaceIds.find((id) => id !== context.credentials.marketplace_id);
    if (wrongMarketplace) return sendInvalidInput(res, `Invalid marketplaceIds value '${wrongMarketplace}'.`);
    const input = documents.get(spec.inputFeedDocumentId);
    if (!input || input.content === undefined) return sendInvalidInput(res, `Invalid inputFeedDocumentId '${spec.inputFeedDocumentId}'.`, 'Upload the document to the URL from createFeedDocument before calling createFeed.');
    const feedId = String(50_000_000_000 + feeds.size + Math.floor(context.random() * 1_000_000) * 100);
    const feed: StoredFeed = { feedId, feedType: spec.feedType, marketplaceIds: spec.marketplaceIds, createdTime: new Date(context.nowMs()).toISOString(), processingStatus: 'IN_QUEUE' };
    feeds.set(feedId, feed);
    const content = input.content;
    context.later(() => {
      feed.processingStatus = 'IN_PROGRESS';
      feed.processingStartTime = new Date(context.nowMs()).toISOString();
      const report = processListingsFeed(context.state, context.credentials.seller_id!, context.credentials.marketplace_id!, feedId, content, context.nowMs());
      const resultFeedDocumentId = newDocumentId();
      store(resultFeedDocumentId, { contentType: 'application/json', content: JSON.stringify(report) });
      Object.assign(feed, { processingStatus: 'DONE', processingEndTime: new Date(context.nowMs()).toISOString(), resultFeedDocumentId });
    });
    sendJson(res, 202, { feedId });
  });

  app.get('/feeds/2021-06-30/feeds/:feedId', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getFeed', res)) return;
    const feed = feeds.get(String(req.params.feedId));
    if (!feed) return sendErrors(res, 404, [{ code: 'NotFound', message: `Feed ${String(req.params.feedId)} not found.` }]);
    sendJson(res, 200, feed);
  });

  app.get('/feeds/2021-06-30/documents/:documentId', tokens.require(context), (req: Request, res: Response) => {
    if (!context.admit('getFeedDocument', res)) return;
    const documentId = String(req.params.documentId);
    if (!documents.get(documentId)?.content) return sendErrors(res, 404, [{ code: 'NotFound', message: `Feed document ${documentId} not found.` }]);
    sendJson(res, 200, { feedDocumentId: documentId, url: presignedUrl(req, documentId) });
  });
}
