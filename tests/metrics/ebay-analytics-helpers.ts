/**
 * What the eBay Analytics tests share: the saved official spec, the sandbox's test surface, and a
 * check that an answer carries no key its official model does not declare.
 */
import type { SandboxHandle } from '../../daemon/src/sandbox/kit/sandbox-server.js';

export const SPEC_PATH = new URL('../../../shared/specs/ebay/sell_analytics_v1_oas3.json', import.meta.url);

export async function surface(sandbox: SandboxHandle, method: string, path: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.baseUrl}/_sandbox${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`sandbox ${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

/** The keys a value carries that its OAS schema does not declare (the OAS leaves additionalProperties open). */
export function undeclaredKeys(value: unknown, schema: Record<string, unknown>, schemas: Record<string, Record<string, unknown>>, path = ''): string[] {
  const resolved = typeof schema.$ref === 'string' ? schemas[schema.$ref.split('/').pop()!]! : schema;
  if (Array.isArray(value)) return value.flatMap((item, index) => undeclaredKeys(item, (resolved.items ?? {}) as Record<string, unknown>, schemas, `${path}[${index}]`));
  if (typeof value !== 'object' || value === null || !resolved.properties) return [];
  const properties = resolved.properties as Record<string, Record<string, unknown>>;
  return Object.entries(value).flatMap(([key, item]) => (properties[key] ? undeclaredKeys(item, properties[key], schemas, `${path}.${key}`) : [`${path}.${key}`]));
}
