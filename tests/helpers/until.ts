/**
 * Waits for a condition the system under test reaches by itself (a push landing, a poll running),
 * checking every 50 ms; fails naming what it waited for. Tests assert on what happened, not on
 * how fast: the time limit only stops a test that would otherwise wait forever.
 */
export async function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}
