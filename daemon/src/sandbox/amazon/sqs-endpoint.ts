/**
 * An SQS-compatible queue speaking the AWS JSON 1.0 protocol that @aws-sdk/client-sqs v3 uses
 * (POST / with X-Amz-Target AmazonSQS.<Operation>), so the connector's real SDK client is what
 * receives ORDER_CHANGE. Every request must carry a valid SigV4 signature made with the
 * sandbox's test AWS keys; errors use SQS's `__type` bodies and x-amzn-query-error header.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import type { SandboxContext } from '../kit/sandbox-server.js';
import { verifySigV4 } from './sigv4.js';

const RECEIVE_MESSAGES_MAX = 10;
const VISIBILITY_TIMEOUT_SECONDS_DEFAULT = 30;
const WAIT_SECONDS_MAX = 20;
const LONG_POLL_INTERVAL_MS = 50;
const QUEUE_MESSAGES_MAX = 100_000;
const MESSAGE_BYTES_MAX = 262_144;

interface QueuedMessage { messageId: string; body: string; md5: string; visibleAtMs: number; receiptHandle?: string; receiveCount: number; sentAtMs: number }

export class SqsQueue {
  readonly messages: QueuedMessage[] = [];

  send(body: string, nowMs: number, delaySeconds = 0): QueuedMessage {
    if (this.messages.length >= QUEUE_MESSAGES_MAX) this.messages.shift();
    const message = { messageId: randomUUID(), body, md5: createHash('md5').update(body, 'utf8').digest('hex'), visibleAtMs: nowMs + delaySeconds * 1000, receiveCount: 0, sentAtMs: nowMs };
    this.messages.push(message);
    return message;
  }

  receive(max: number, visibilitySeconds: number, nowMs: number): QueuedMessage[] {
    const taken = this.messages.filter((message) => message.visibleAtMs <= nowMs).slice(0, max);
    for (const message of taken) {
      message.visibleAtMs = nowMs + visibilitySeconds * 1000;
      message.receiptHandle = randomBytes(24).toString('base64url');
      message.receiveCount += 1;
    }
    return taken;
  }

  delete(receiptHandle: string): boolean {
    const index = this.messages.findIndex((message) => message.receiptHandle === receiptHandle);
    if (index >= 0) this.messages.splice(index, 1);
    return index >= 0;
  }
}

/** The queue's name from the sandbox credential `sqs_queue_url` (a path: /<account>/<name>). */
function queuePath(context: SandboxContext): string {
  return context.credentials.sqs_queue_url!;
}

function sqsError(res: Response, status: number, type: string, queryError: string, message: string): void {
  if (res.headersSent) return;
  res.status(status).set('x-amzn-query-error', queryError).type('application/x-amz-json-1.0').send(JSON.stringify({ __type: type, message }));
}

export function installSqsEndpoint(app: Express, context: SandboxContext, queue: SqsQueue): void {
  app.post('/', express.raw({ type: () => true, limit: '1mb' }), async (req: Request, res: Response) => {
    const target = req.get('x-amz-target') ?? '';
    if (!target.startsWith('AmazonSQS.')) return sqsError(res, 400, 'com.amazon.coral.service#UnknownOperationException', 'UnknownOperation;Sender', 'The requested operation is not supported.');
    if (!context.admit('sqs', res)) return;
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const rawQuery = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '';
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(',') : value;
    const verdict = verifySigV4({ method: req.method, path: req.path, query: rawQuery, headers, body }, (key) => (key === context.credentials.aws_access_key_id ? context.credentials.aws_secret_access_key : undefined), context.nowMs());
    if (!verdict.ok) {
      if (verdict.reason === 'unknown_key') return sqsError(res, 400, 'com.amazon.coral.service#InvalidClientTokenId', 'InvalidClientTokenId;Sender', 'The security token included in the request is invalid.');
      if (verdict.reason === 'stale') return sqsError(res, 400, 'com.amazon.coral.service#RequestExpired', 'RequestExpired;Sender', 'Signature expired: the request time is more than 5 minutes from the server time.');
      if (verdict.reason === 'mismatch') return sqsError(res, 403, 'com.amazon.coral.service#SignatureDoesNotMatch', 'SignatureDoesNotMatch;Sender', 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.');
      return sqsError(res, 400, 'com.amazon.coral.service#MissingAuthenticationTokenException', 'MissingAuthenticationToken;Sender', 'Request is missing Authentication Token');
    }
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new Error('not an object');
    } catch {
      return sqsError(res, 400, 'com.amazon.coral.service#SerializationException', 'SerializationException;Sender', 'The request body is not a JSON object.');
    }
    const operation = target.slice('AmazonSQS.'.length);
    const reply = (output: unknown) => res.status(200).type('application/x-amz-json-1.0').set('x-amzn-RequestId', randomUUID()).send(JSON.stringify(output));
    const ownQueue = () => {
      if (typeof input.QueueUrl === 'string' && new URL(input.QueueUrl, 'http://placeholder').pathname === queuePath(context)) return true;
      sqsError(res, 400, 'com.amazonaws.sqs#QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue;Sender', 'The specified queue does not exist.');
      return false;
    };
    const invalid = (message: string) => sqsError(res, 400, 'com.amazonaws.sqs#InvalidParameterValue', 'InvalidParameterValue;Sender', message);

    if (operation === 'GetQueueUrl') {
      if (typeof input.QueueName !== 'string' || queuePath(context).split('/').pop() !== input.QueueName) return sqsError(res, 400, 'com.amazonaws.sqs#QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue;Sender', 'The specified queue does not exist.');
      return reply({ QueueUrl: `${req.protocol}://${req.get('host')}${queuePath(context)}` });
    }
    if (operation === 'SendMessage') {
      if (!ownQueue()) return;
      if (typeof input.MessageBody !== 'string' || input.MessageBody.length === 0) return sqsError(res, 400, 'com.amazonaws.sqs#MissingParameter', 'MissingParameter;Sender', 'The request must contain the parameter MessageBody.');
      if (Buffer.byteLength(input.MessageBody) > MESSAGE_BYTES_MAX) return invalid(`One or more parameters are invalid. Reason: Message must be shorter than ${MESSAGE_BYTES_MAX} bytes.`);
      const delay = typeof input.DelaySeconds === 'number' ? input.DelaySeconds : 0;
      if (!Number.isInteger(delay) || delay < 0 || delay > 900) return invalid('Value for parameter DelaySeconds is invalid. Reason: must be between 0 and 900.');
      const message = queue.send(input.MessageBody, context.nowMs(), delay);
      return reply({ MessageId: message.messageId, MD5OfMessageBody: message.md5 });
    }
    if (operation === 'ReceiveMessage') {
      if (!ownQueue()) return;
      const max = input.MaxNumberOfMessages ?? 1;
      if (typeof max !== 'number' || !Number.isInteger(max) || max < 1 || max > RECEIVE_MESSAGES_MAX) return invalid(`Value ${String(max)} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`);
      const visibility = input.VisibilityTimeout ?? VISIBILITY_TIMEOUT_SECONDS_DEFAULT;
      if (typeof visibility !== 'number' || !Number.isInteger(visibility) || visibility < 0 || visibility > 43_200) return invalid('Value for parameter VisibilityTimeout is invalid.');
      const wait = input.WaitTimeSeconds ?? 0;
      if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > WAIT_SECONDS_MAX) return invalid('Value for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.');
      const deadline = Date.now() + wait * 1000;
      let messages = queue.receive(max, visibility, context.nowMs());
      while (messages.length === 0 && Date.now() < deadline && !res.destroyed) {
        await new Promise((resolve) => setTimeout(resolve, LONG_POLL_INTERVAL_MS));
        messages = queue.receive(max, visibility, context.nowMs());
      }
      return reply(messages.length === 0 ? {} : { Messages: messages.map((message) => ({ MessageId: message.messageId, ReceiptHandle: message.receiptHandle, MD5OfBody: message.md5, Body: message.body, Attributes: { ApproximateReceiveCount: String(message.receiveCount), SentTimestamp: String(message.sentAtMs) } })) });
    }
    if (operation === 'DeleteMessage') {
      if (!ownQueue()) return;
      if (typeof input.ReceiptHandle !== 'string' || !queue.delete(input.ReceiptHandle)) return sqsError(res, 400, 'com.amazonaws.sqs#ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid;Sender', 'The input receipt handle is invalid.');
      return reply({});
    }
    return sqsError(res, 400, 'com.amazon.coral.service#UnknownOperationException', 'UnknownOperation;Sender', `The sandbox SQS endpoint does not implement ${operation}.`);
  });
}
