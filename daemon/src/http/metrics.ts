/** Prometheus metrics for the daemon, on one registry that GET /metrics serves. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface DaemonMetrics {
  registry: Registry;
  httpRequests: Counter<'route' | 'status'>;
  httpDuration: Histogram<'route'>;
  eventsIngested: Counter<'type' | 'status'>;
}

export function createMetrics(): DaemonMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'shelfguard_' });
  return {
    registry,
    httpRequests: new Counter({ name: 'shelfguard_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'], registers: [registry] }),
    httpDuration: new Histogram({ name: 'shelfguard_http_request_duration_seconds', help: 'HTTP request duration by route', labelNames: ['route'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] }),
    eventsIngested: new Counter({ name: 'shelfguard_events_total', help: 'Plugin events by type and outcome', labelNames: ['type', 'status'], registers: [registry] }),
  };
}
