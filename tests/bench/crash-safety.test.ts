/**
 * RELIABILITY B1 at small scale: the daemon runs as a real child process and is killed with
 * SIGKILL during a burst of signed plugin events that the driver retries until acknowledged.
 * Nothing may be lost or applied twice, and every SKU must end where the driver computed.
 */
import { runCrashBench } from '../../daemon/src/bench/crash-bench.js';

describe('a daemon killed with SIGKILL mid-burst', () => {
  it('loses no movement, duplicates none, and leaves every SKU at the level the driver computed', async () => {
    const result = await runCrashBench({ movements: 600, skus: 30, kills: 5, store: 'sqlite', channels: 0, seed: 7 });
    expect(result.kills_during_burst).toBeGreaterThan(0);
    expect({ lost: result.lost, duplicated: result.duplicated, conservation_violations: result.conservation_violations })
      .toEqual({ lost: 0, duplicated: 0, conservation_violations: 0 });
    expect(result.passed).toBe(true);
  }, 120_000);
});
