/**
 * The metrics' settings, read from the environment until the lead folds them into config.ts:
 * SHELFGUARD_METRICS_ALERT_HEADROOM (cancellations), SHELFGUARD_METRICS_WEBHOOK_URL (a chat
 * tool's incoming webhook; a secret, never logged) and SHELFGUARD_METRICS_PROTECTION (opt-in:
 * a comma list of channels, or JSON {"amazon":{"raiseBuffer":true,"pauseRepeatOversellers":false}}).
 */
import { z } from 'zod';
import { DEFAULT_ALERT_HEADROOM_CANCELLATIONS } from './alert-level.js';
import type { ProtectionSettings } from './protection-plan.js';
import { CHANNEL_CODE_PATTERN } from '../channels/channel.js';

export const ALERT_HEADROOM_MAX_CANCELLATIONS = 1_000;

export interface MetricsSettings {
  alertHeadroomCancellations: number;
  webhookUrl?: string;
  protection: ProtectionSettings;
}

const channelName = z.string().regex(CHANNEL_CODE_PATTERN);
const protectionJson = z.record(channelName, z.object({ raiseBuffer: z.boolean().default(true), pauseRepeatOversellers: z.boolean().default(true) }).strict());

export type SettingsResult = { ok: true; settings: MetricsSettings } | { ok: false; problems: string[] };

function parseProtection(value: string | undefined): ProtectionSettings | string {
  if (!value || value.trim() === '') return {};
  if (value.trim().startsWith('{')) {
    try {
      const parsed = protectionJson.safeParse(JSON.parse(value));
      return parsed.success ? parsed.data : `SHELFGUARD_METRICS_PROTECTION: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`;
    } catch {
      return 'SHELFGUARD_METRICS_PROTECTION: must be a comma list of channels or a JSON object';
    }
  }
  const names = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const invalid = names.find((name) => !channelName.safeParse(name).success);
  if (invalid !== undefined) return `SHELFGUARD_METRICS_PROTECTION: ${JSON.stringify(invalid)} is not a channel code`;
  return Object.fromEntries(names.map((name) => [name, { raiseBuffer: true, pauseRepeatOversellers: true }]));
}

export function readMetricsSettings(env: NodeJS.ProcessEnv = process.env): SettingsResult {
  const problems: string[] = [];
  const headroomText = env.SHELFGUARD_METRICS_ALERT_HEADROOM;
  let alertHeadroomCancellations = DEFAULT_ALERT_HEADROOM_CANCELLATIONS;
  if (headroomText !== undefined && headroomText !== '') {
    alertHeadroomCancellations = Number(headroomText);
    if (!Number.isInteger(alertHeadroomCancellations) || alertHeadroomCancellations < 0 || alertHeadroomCancellations > ALERT_HEADROOM_MAX_CANCELLATIONS) problems.push(`SHELFGUARD_METRICS_ALERT_HEADROOM: must be a whole number from 0 to ${ALERT_HEADROOM_MAX_CANCELLATIONS}`);
  }
  const webhookUrl = env.SHELFGUARD_METRICS_WEBHOOK_URL;
  if (webhookUrl && !/^https?:\/\/[^\s]+$/.test(webhookUrl)) problems.push('SHELFGUARD_METRICS_WEBHOOK_URL: must be an http(s) URL');
  const protection = parseProtection(env.SHELFGUARD_METRICS_PROTECTION);
  if (typeof protection === 'string') problems.push(protection);
  if (problems.length > 0 || typeof protection === 'string') return { ok: false, problems };
  return { ok: true, settings: { alertHeadroomCancellations, protection, ...(webhookUrl ? { webhookUrl } : {}) } };
}
