import { TokenBucket } from '../../daemon/src/sandbox/kit/token-bucket.js';

/** A bucket on a clock the test moves by hand. */
function bucketAt(ratePerSecond: number, burst: number): { bucket: TokenBucket; advance: (ms: number) => void } {
  let nowMs = 0;
  return { bucket: new TokenBucket(ratePerSecond, burst, () => nowMs), advance: (ms) => { nowMs += ms; } };
}

describe('a token bucket that counts requests until they are answered', () => {
  test('the whole burst is usable when nothing is on the way', () => {
    const { bucket } = bucketAt(5, 5);
    for (let index = 0; index < 5; index += 1) expect(bucket.startRequest().taken).toBe(true);
    expect(bucket.startRequest().taken).toBe(false);
  });

  test('an answered request gives no token back: only time does', () => {
    const { bucket, advance } = bucketAt(5, 5);
    for (let index = 0; index < 5; index += 1) bucket.startRequest();
    for (let index = 0; index < 5; index += 1) bucket.finishRequest();
    expect(bucket.startRequest().taken).toBe(false);
    advance(200);
    expect(bucket.startRequest().taken).toBe(true);
    expect(bucket.startRequest().taken).toBe(false);
  });

  test('tokens never refill past the burst minus the requests still on the way', () => {
    const { bucket, advance } = bucketAt(5, 5);
    bucket.startRequest();
    bucket.startRequest();
    advance(60_000);
    expect(bucket.available()).toBe(3);
    bucket.finishRequest();
    expect(bucket.available()).toBe(3);
    advance(200);
    expect(bucket.available()).toBe(4);
  });

  test('a push of several requests (Etsy: a read and its writes) takes them all at once and counts them all on the way', () => {
    const { bucket, advance } = bucketAt(10, 9);
    expect(bucket.startRequest(9).taken).toBe(true);
    advance(60_000);
    // All nine still on their way: nothing refills.
    expect(bucket.available()).toBe(0);
    bucket.finishRequest(9);
    const refused = bucket.startRequest(5);
    expect(refused.taken).toBe(false);
    if (!refused.taken) expect(refused.retryAfterMs).toBe(500);
    advance(500);
    expect(bucket.startRequest(5).taken).toBe(true);
    expect(() => bucket.startRequest(10)).toThrow(/10 tokens cannot fit a bucket of 9/);
  });

  test('over any run of starts and answers, what is on the way plus what is left stays within the burst', () => {
    const { bucket, advance } = bucketAt(50, 25);
    let onTheWay = 0;
    let seed = 7;
    const random = () => { seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31; return seed / 2 ** 31; };
    for (let step = 0; step < 5_000; step += 1) {
      const draw = random();
      if (draw < 0.5) { if (bucket.startRequest().taken) onTheWay += 1; }
      else if (draw < 0.8 && onTheWay > 0) { bucket.finishRequest(); onTheWay -= 1; }
      else advance(random() * 100);
      expect(onTheWay + bucket.available()).toBeLessThanOrEqual(25 + 1e-9);
    }
  });
});
