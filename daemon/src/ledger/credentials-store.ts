/**
 * The `channel_connection` table: marketplaces connected from the admin UI, one row per channel,
 * credentials sealed (credentials-seal.ts) and opened only in memory. Without a key nothing can be
 * stored, and rows already stored are reported as locked rather than guessed at.
 */
import { credentialsKeyId, sealCredentials, unsealCredentials } from './credentials-seal.js';
import type { Store } from './store.js';

export interface StoredConnection {
  channel: string;
  baseUrl: string;
  requestTimeoutMs: number;
  /** Present when the row opened with the configured key. */
  credentials?: Record<string, string>;
  /** Why the credentials could not be opened (no key, another key, altered row). Never a value. */
  problem?: string;
  updatedAt: number;
}

export class ConnectionStore {
  private readonly keyId: string | undefined;

  constructor(private readonly store: Store, private readonly key: Buffer | undefined) {
    this.keyId = key ? credentialsKeyId(key) : undefined;
  }

  get canStore(): boolean {
    return this.key !== undefined;
  }

  async list(): Promise<StoredConnection[]> {
    const rows = await this.store.db.selectFrom('channel_connection').selectAll().orderBy('channel').execute();
    return rows.map((row) => this.open(row));
  }

  async get(channel: string): Promise<StoredConnection | undefined> {
    const row = await this.store.db.selectFrom('channel_connection').selectAll().where('channel', '=', channel).executeTakeFirst();
    return row ? this.open(row) : undefined;
  }

  /** Replaces the channel's stored connection in one transaction. */
  async save(channel: string, baseUrl: string, credentials: Record<string, string>, requestTimeoutMs: number, nowMs = Date.now()): Promise<void> {
    if (!this.key || !this.keyId) throw new Error('ConnectionStore.save called without a credentials key');
    const sealed = sealCredentials(this.key, channel, credentials);
    const keyId = this.keyId;
    await this.store.transaction(async (trx) => {
      const existing = await trx.selectFrom('channel_connection').select('created_at').where('channel', '=', channel).executeTakeFirst();
      await trx.deleteFrom('channel_connection').where('channel', '=', channel).execute();
      await trx.insertInto('channel_connection').values({
        channel, base_url: baseUrl, credentials_sealed: sealed, key_id: keyId, request_timeout_ms: requestTimeoutMs, created_at: existing?.created_at ?? nowMs, updated_at: nowMs,
      }).execute();
    });
  }

  /** Forgets the channel's credentials; true when there were some. */
  async remove(channel: string): Promise<boolean> {
    const deleted = await this.store.db.deleteFrom('channel_connection').where('channel', '=', channel).executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  }

  private open(row: { channel: string; base_url: string; credentials_sealed: string; key_id: string; request_timeout_ms: number; updated_at: number }): StoredConnection {
    const base = { channel: row.channel, baseUrl: row.base_url, requestTimeoutMs: Number(row.request_timeout_ms), updatedAt: Number(row.updated_at) };
    if (!this.key) return { ...base, problem: 'SHELFGUARD_CREDENTIALS_KEY is not set, so the stored credentials cannot be opened' };
    if (row.key_id !== this.keyId) return { ...base, problem: 'the stored credentials were sealed with another SHELFGUARD_CREDENTIALS_KEY; set that key again or reconnect the channel' };
    const opened = unsealCredentials(this.key, row.channel, row.credentials_sealed);
    return opened.ok ? { ...base, credentials: opened.credentials } : { ...base, problem: opened.message };
  }
}
