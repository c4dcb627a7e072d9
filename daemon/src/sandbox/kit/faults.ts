import { z } from 'zod';

/** Fault knobs a test or the demo sets through PUT /_sandbox/faults. Rates are probabilities. */
export const faultsSchema = z.object({
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  rate429: z.number().min(0).max(1).default(0),
  rate5xx: z.number().min(0).max(1).default(0),
  /** The request hangs for hangMs, then the socket is destroyed. */
  timeoutRate: z.number().min(0).max(1).default(0),
  hangMs: z.number().int().min(0).max(120_000).default(10_000),
  /** The request is applied, then the connection is dropped before the response. */
  dropAfterApplyRate: z.number().min(0).max(1).default(0),
  /** Each notification is also delivered a second time. */
  duplicateNotificationRate: z.number().min(0).max(1).default(0),
  /** Notifications are held back a random 0..reorderWindowMs, so they may arrive out of order. */
  reorderWindowMs: z.number().int().min(0).max(60_000).default(0),
  /** Retry-After seconds a forced 429 announces. */
  retryAfterSeconds: z.number().int().min(0).max(3600).default(1),
}).strict();

export type SandboxFaults = z.infer<typeof faultsSchema>;

export const NO_FAULTS: SandboxFaults = faultsSchema.parse({});

export type FaultDecision = 'none' | 'rate_limited' | 'server_error' | 'timeout' | 'drop_after_apply';

/** Decides, from one random draw per knob, which fault (if any) a request gets. */
export function decideFault(faults: SandboxFaults, random: () => number): FaultDecision {
  if (faults.rate429 > 0 && random() < faults.rate429) return 'rate_limited';
  if (faults.rate5xx > 0 && random() < faults.rate5xx) return 'server_error';
  if (faults.timeoutRate > 0 && random() < faults.timeoutRate) return 'timeout';
  if (faults.dropAfterApplyRate > 0 && random() < faults.dropAfterApplyRate) return 'drop_after_apply';
  return 'none';
}
