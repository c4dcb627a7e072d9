/**
 * Connecting a marketplace from the admin UI (issue 6), under /v1/admin/channels/:channel/:
 * `connection` shows what is connected with every secret masked; `connect` validates the fields
 * the connector needs, tries them against the marketplace with a token fetch and one page of the
 * bulk read, seals and stores them only if the marketplace accepted them, and brings the channel
 * into the running daemon (shadow mode unless asked otherwise); `disconnect` stops its pushes,
 * pauses it and forgets the credentials (listings and history stay). Channels configured in
 * SHELFGUARD_CHANNELS or the config file stay the operator's: they are shown, never overwritten.
 * No credential value ever appears in a response, an error or a log line.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import type { Channel, ChannelConnection, ChannelError, ChannelName } from '../channels/channel.js';
import { CONNECTABLE_CHANNELS, PRODUCTION_BASE_URLS, credentialsSchema, fieldViews, isConnectable, scrubCredentials, type ConnectableChannel } from '../channels/credentials-fields.js';
import type { Catalogue } from '../ledger/catalogue.js';
import { CREDENTIALS_KEY_HELP } from '../ledger/credentials-seal.js';
import type { ConnectionStore } from '../ledger/credentials-store.js';
import type { Store } from '../ledger/store.js';
import type { Logger } from '../logger.js';
import { requireAdminToken } from './admin-routes.js';
import { HttpError, parseInput } from './errors.js';

export const CONNECT_TIMEOUT_MS_DEFAULT = 15_000;
/** Each of the two trial calls waits at most this long, so the whole trial ends inside the
 * plugin proxy's 15 s admin timeout and the store owner never sees "no answer" for a connect
 * that later succeeds. */
export const CONNECT_TRY_TIMEOUT_MS = 6_000;
const BASE_URL_LENGTH_MAX = 400;

/** What the routes need of the running daemon: which channels configuration owns, and a way to
 * start and stop scheduling, order polling and webhooks for a channel without a restart. */
export interface LiveChannels {
  configured: Partial<Record<ChannelName, { baseUrl: string; credentials: Record<string, string> }>>;
  isRunning(name: string): boolean;
  attach(channel: Channel): void;
  detach(name: string): Promise<void>;
}

export interface ConnectionRouterOptions {
  store: Store;
  catalogue: Catalogue;
  connections: ConnectionStore;
  live: LiveChannels;
  logger: Logger;
  token: () => string | undefined;
  createConnector: (name: ChannelName, connection: ChannelConnection) => Channel;
}

const baseUrlSchema = z.string().max(BASE_URL_LENGTH_MAX, { message: `must be at most ${BASE_URL_LENGTH_MAX} characters` })
  .refine((value) => { try { return ['http:', 'https:'].includes(new URL(value).protocol); } catch { return false; } }, { message: 'must be an http(s) URL of the marketplace or its sandbox' });

function connectBody(channel: ConnectableChannel) {
  return z.object({
    baseUrl: baseUrlSchema.optional(),
    credentials: credentialsSchema(channel),
    mode: z.enum(['shadow', 'live', 'paused']).default('shadow'),
    requestTimeoutMs: z.number().int().min(1_000).max(120_000).default(CONNECT_TIMEOUT_MS_DEFAULT),
  }).strict();
}

/** A marketplace's refusal as an HTTP error: refused credentials are the store owner's to fix
 * (422), an unreachable or failing marketplace is a 502. Never a credential value in the text. */
function refusal(label: string, step: string, error: ChannelError, credentials: Record<string, string>): HttpError {
  const detail = scrubCredentials(`${error.code}: ${error.message}`, credentials).slice(0, 400);
  if (['network', 'timeout', 'server_error', 'rate_limited', 'invalid_response'].includes(error.code)) {
    return new HttpError(502, 'marketplace_unreachable', `baseUrl: ${label} did not answer the ${step} as expected (${detail}); check the base URL and try again`);
  }
  return new HttpError(422, 'marketplace_refused', `${label} refused these credentials at the ${step} (${detail}); nothing was stored`);
}

export function connectionRouter(options: ConnectionRouterOptions): Router {
  const router = express.Router();
  const auth = requireAdminToken(options.token);
  const json = express.json({ limit: '16kb' });
  const busy = new Set<string>();
  const channelParam = (req: Request): ConnectableChannel => {
    const name = String(req.params.channel);
    if (!isConnectable(name)) throw new HttpError(404, 'unknown_channel', `channel must be one of ${CONNECTABLE_CHANNELS.join(', ')}`);
    return name;
  };
  const exclusive = async <T>(channel: string, work: () => Promise<T>): Promise<T> => {
    if (busy.has(channel)) throw new HttpError(409, 'connection_busy', `${channel} is being connected or disconnected already; try again in a moment`);
    busy.add(channel);
    try { return await work(); } finally { busy.delete(channel); }
  };
  const refuseConfigured = (channel: ConnectableChannel): void => {
    if (options.live.configured[channel]) throw new HttpError(409, 'configured_channel', `${channel} is configured in SHELFGUARD_CHANNELS or the config file; change it there and restart the daemon (the admin UI cannot overwrite it)`);
  };

  const describe = async (channel: ConnectableChannel) => {
    const connected = options.live.isRunning(channel);
    const mode = (await options.store.db.selectFrom('channel').select('mode').where('code', '=', channel).executeTakeFirst())?.mode ?? null;
    const base = { channel, connected, mode, canStore: options.connections.canStore };
    const configured = options.live.configured[channel];
    if (configured) return { ...base, source: 'config' as const, editable: false, baseUrl: configured.baseUrl, fields: fieldViews(channel, configured.credentials) };
    const stored = await options.connections.get(channel);
    if (stored) return { ...base, source: 'admin' as const, editable: true, baseUrl: stored.baseUrl, fields: fieldViews(channel, stored.credentials), ...(stored.problem ? { problem: stored.problem } : {}) };
    return { ...base, source: null, editable: true, baseUrl: PRODUCTION_BASE_URLS[channel], fields: fieldViews(channel, undefined) };
  };
  const wrap = (handler: (req: Request) => Promise<unknown>) => async (req: Request, res: express.Response, next: express.NextFunction) => {
    try { res.json(await handler(req)); } catch (error) { next(error); }
  };

  router.get('/v1/admin/channels/:channel/connection', auth, wrap(async (req) => describe(channelParam(req))));

  router.post('/v1/admin/channels/:channel/connect', auth, json, wrap(async (req) => {
    const channel = channelParam(req);
    refuseConfigured(channel);
    if (!options.connections.canStore) throw new HttpError(409, 'credentials_key_missing', `this daemon cannot store marketplace credentials: ${CREDENTIALS_KEY_HELP}; then restart it (channels in SHELFGUARD_CHANNELS work without it)`);
    const body = parseInput(connectBody(channel), req.body, 'body');
    const baseUrl = (body.baseUrl ?? PRODUCTION_BASE_URLS[channel]).replace(/\/+$/, '');
    return exclusive(channel, async () => {
      const trial = options.createConnector(channel, { baseUrl, credentials: body.credentials, requestTimeoutMs: Math.min(body.requestTimeoutMs, CONNECT_TRY_TIMEOUT_MS) });
      const authenticated = await trial.authenticate();
      if (!authenticated.ok) throw refusal(channel, 'token request', authenticated.error, body.credentials);
      const read = await trial.readQuantities();
      if (!read.ok) throw refusal(channel, 'first listings read', read.error, body.credentials);
      const connector = options.createConnector(channel, { baseUrl, credentials: body.credentials, requestTimeoutMs: body.requestTimeoutMs });
      await options.connections.save(channel, baseUrl, body.credentials, body.requestTimeoutMs);
      if (options.live.isRunning(channel)) await options.live.detach(channel);
      const known = await options.store.db.selectFrom('channel').select('id').where('code', '=', channel).executeTakeFirst();
      const warehouse = known ? undefined : await options.store.db.selectFrom('location').select('code').where('kind', '=', 'warehouse').orderBy('id').executeTakeFirst();
      const registered = await options.catalogue.upsertChannel({ code: channel, mode: body.mode, ...(warehouse ? { locations: [warehouse.code] } : {}) });
      if (!registered.ok) throw new HttpError(500, 'channel_not_registered', `the credentials were stored but ${channel} could not be registered: ${registered.error.message}`);
      options.live.attach(connector);
      options.logger.info({ channel, baseUrl, mode: body.mode, source: 'admin' }, 'marketplace connected from the admin API');
      return { ...(await describe(channel)), message: `${channel} is connected in ${body.mode} mode` };
    });
  }));

  router.post('/v1/admin/channels/:channel/disconnect', auth, wrap(async (req) => {
    const channel = channelParam(req);
    refuseConfigured(channel);
    return exclusive(channel, async () => {
      const running = options.live.isRunning(channel);
      const stored = await options.connections.get(channel);
      if (!running && !stored) throw new HttpError(404, 'not_connected', `${channel} is not connected`);
      if (running) await options.live.detach(channel);
      await options.connections.remove(channel);
      const known = await options.store.db.selectFrom('channel').select('id').where('code', '=', channel).executeTakeFirst();
      if (known) await options.catalogue.upsertChannel({ code: channel, mode: 'paused' });
      options.logger.info({ channel, source: 'admin' }, 'marketplace disconnected from the admin API');
      return { ...(await describe(channel)), message: `${channel} is disconnected: its credentials are forgotten, its listings and history stay` };
    });
  }));
  return router;
}
