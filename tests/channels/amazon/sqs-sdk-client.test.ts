/**
 * The AWS SDK's own SQS client — no code of ours on the client side — against the sandbox's
 * SQS-compatible endpoint: real SigV4 signing, the AWS JSON protocol, and the SDK's MD5 checks.
 */
import { DeleteMessageCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSandboxDefinition } from '../../../daemon/src/sandbox/amazon/index.js';
import { startSandbox, type SandboxHandle } from '../../../daemon/src/sandbox/kit/sandbox-server.js';
import { sandboxCall, seedListings } from '../conformance.js';

let sandbox: SandboxHandle;
const clientFor = (secret?: string) => new SQSClient({
  region: sandbox.credentials.aws_region!,
  endpoint: sandbox.baseUrl,
  credentials: { accessKeyId: sandbox.credentials.aws_access_key_id!, secretAccessKey: secret ?? sandbox.credentials.aws_secret_access_key! },
  maxAttempts: 1,
});

beforeAll(async () => { sandbox = await startSandbox(createSandboxDefinition(), { rateLimits: 'unlimited' }); });
afterAll(async () => { await sandbox.close(); });

test('the AWS SDK alone finds the queue, sends, receives with a matching MD5 and deletes a message', async () => {
  const sqs = clientFor();
  const queueName = sandbox.credentials.sqs_queue_url!.split('/').pop()!;
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName }));
  expect(QueueUrl).toBe(sandbox.baseUrl + sandbox.credentials.sqs_queue_url);
  const sent = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: '{"hello":"queue"}' }));
  expect(sent.MessageId).toBeTruthy();
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  expect(received.Messages?.map((message) => message.Body)).toEqual(['{"hello":"queue"}']);
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: received.Messages![0]!.ReceiptHandle! }));
  const empty = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 1 }));
  expect(empty.Messages ?? []).toEqual([]);
  sqs.destroy();
});

test('an ORDER_CHANGE from the sandbox reaches the SDK as the notification document itself', async () => {
  const sqs = clientFor();
  await seedListings(sandbox, [{ sku: 'SQS-SKU', quantity: 3 }]);
  const order = await sandboxCall<{ orderId: string }>(sandbox, 'POST', '/orders', { lines: [{ sku: 'SQS-SKU', quantity: 1 }] });
  const QueueUrl = sandbox.baseUrl + sandbox.credentials.sqs_queue_url;
  const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  const bodies = (received.Messages ?? []).map((message) => JSON.parse(message.Body!) as { NotificationType: string; Payload: { OrderChangeNotification: { AmazonOrderId: string } } });
  expect(bodies.find((body) => body.Payload.OrderChangeNotification.AmazonOrderId === order.orderId)).toMatchObject({ NotificationType: 'ORDER_CHANGE' });
  for (const message of received.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: message.ReceiptHandle! }));
  sqs.destroy();
});

test('a request signed with the wrong secret is refused with SignatureDoesNotMatch', async () => {
  const sqs = clientFor('not-the-secret-0000000000000000000000000');
  await expect(sqs.send(new ReceiveMessageCommand({ QueueUrl: sandbox.baseUrl + sandbox.credentials.sqs_queue_url, MaxNumberOfMessages: 1 }))).rejects.toMatchObject({ $metadata: { httpStatusCode: 403 } });
  sqs.destroy();
});

test('an unknown queue is QueueDoesNotExist to the SDK', async () => {
  const sqs = clientFor();
  await expect(sqs.send(new GetQueueUrlCommand({ QueueName: 'no-such-queue' }))).rejects.toMatchObject({ name: 'QueueDoesNotExist' });
  sqs.destroy();
});
