/**
 * ORDER_CHANGE arrives only through SQS (marketplaces.md, verified corrections). The AWS SDK's
 * own SQS client receives the messages; each body is the notification document itself. Messages
 * are deleted only when the caller acknowledges, after it stored the events durably, so a crash
 * in between redelivers them instead of losing them.
 */
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { channelError, fail, ok, type ChannelConnection, type ChannelError, type ChannelEvent, type Result } from '../channel.js';
import { SQS_RECEIVE_MESSAGES_MAX } from './limits.js';
import { eventFromNotification } from './orders-mapping.js';

const REGION_DEFAULT = 'us-east-1';
/** How long a received message stays invisible to other consumers before it is redelivered. */
const VISIBILITY_TIMEOUT_SECONDS = 60;

export function sqsError(error: unknown, operation: string): ChannelError {
  const name = error instanceof Error ? error.name : '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const awsCode = (error as { Code?: string; name?: string } | null)?.Code ?? name;
  if (name === 'TimeoutError' || name === 'AbortError' || name === 'RequestTimeout') return channelError('timeout', `SQS ${operation} got no answer in time`);
  if (status === undefined) return channelError('network', `SQS ${operation} failed before an answer: ${error instanceof Error ? error.message : String(error)}`);
  const code = status === 429 || awsCode === 'ThrottlingException' || awsCode === 'RequestThrottled' ? 'rate_limited'
    : status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 || awsCode === 'QueueDoesNotExist' ? 'not_found' : status >= 500 ? 'server_error' : 'invalid_request';
  return channelError(code, `SQS ${operation} answered ${status}: ${awsCode}`, { status, marketplaceCode: awsCode, ...(code === 'rate_limited' ? { retryAfterMs: 1000 } : {}) });
}

export class SqsNotifications {
  private readonly client: SQSClient | undefined;
  private readonly queueUrl: string | undefined;

  constructor(connection: ChannelConnection) {
    const { credentials } = connection;
    const queue = credentials.sqs_queue_url;
    if (!queue || !credentials.aws_access_key_id || !credentials.aws_secret_access_key) return;
    this.queueUrl = queue.startsWith('/') ? connection.baseUrl.replace(/\/$/, '') + queue : queue;
    this.client = new SQSClient({
      region: credentials.aws_region ?? REGION_DEFAULT,
      // An explicit endpoint keeps the SDK on the queue's own host (the sandbox, or a VPC endpoint).
      endpoint: credentials.sqs_endpoint ?? new URL(this.queueUrl).origin,
      credentials: { accessKeyId: credentials.aws_access_key_id, secretAccessKey: credentials.aws_secret_access_key },
      maxAttempts: 1,
      requestHandler: { requestTimeout: connection.requestTimeoutMs ?? 10_000, connectionTimeout: connection.requestTimeoutMs ?? 10_000 },
    });
  }

  async receive(maxMessages: number): Promise<Result<{ events: ChannelEvent[]; acknowledge(): Promise<Result<void>> }>> {
    if (!this.client || !this.queueUrl) return fail(channelError('unsupported', 'Amazon notifications need sqs_queue_url, aws_access_key_id and aws_secret_access_key credentials'));
    const client = this.client;
    const queueUrl = this.queueUrl;
    let received;
    try {
      received = await client.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.max(1, Math.min(SQS_RECEIVE_MESSAGES_MAX, Math.floor(maxMessages))),
        WaitTimeSeconds: 0,
        VisibilityTimeout: VISIBILITY_TIMEOUT_SECONDS,
      }));
    } catch (error) {
      return fail(sqsError(error, 'ReceiveMessage'));
    }
    const events: ChannelEvent[] = [];
    const handles: string[] = [];
    for (const message of received.Messages ?? []) {
      const parsed = eventFromNotification(message.Body ?? '');
      // A malformed message stays in the queue, so the queue's redrive policy can move it to a
      // dead-letter queue where an operator sees it, instead of Shelfguard silently dropping it.
      if (!parsed.ok || !message.ReceiptHandle) continue;
      if (parsed.value) events.push(parsed.value);
      handles.push(message.ReceiptHandle);
    }
    return ok({
      events,
      async acknowledge(): Promise<Result<void>> {
        for (const handle of handles) {
          try {
            await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: handle }));
          } catch (error) {
            return fail(sqsError(error, 'DeleteMessage'));
          }
        }
        return ok(undefined);
      },
    });
  }
}
