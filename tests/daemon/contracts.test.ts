import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

interface SigningVector { secret: string; id: string; timestamp: number; body: string; signature: string }

const vectors = (JSON.parse(readFileSync('contracts/fixtures/signing-vectors.json', 'utf8')) as { vectors: SigningVector[] }).vectors;

describe('the shared signing vectors', () => {
  test.each(vectors)('the standardwebhooks package reproduces the signature of $id', (vector) => {
    const webhook = new Webhook(vector.secret);
    const signature = webhook.sign(vector.id, new Date(vector.timestamp * 1000), vector.body);
    expect(signature).toBe(vector.signature);
  });
});
