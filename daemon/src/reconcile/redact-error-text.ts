/**
 * Error text kept in the reconciliation history (and shown in the admin UI) must carry no secret:
 * connectors keep credentials out of their messages, but a marketplace may echo one back, and a
 * database error may quote a URL. Known secret values are replaced, and so is anything shaped like
 * a credential (bearer tokens, signing secrets, Amazon LWA tokens, URL passwords, key=value pairs
 * named like secrets).
 */
const SECRET_LENGTH_MIN = 4;
const PATTERNS: RegExp[] = [
  /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\bwhsec_[A-Za-z0-9+/=]+/g,
  /\bAtz[ar]\|[A-Za-z0-9._~+/=|-]+/g,
  /(\/\/[^/\s:@]+:)[^@\s/]+@/g,
  /\b((?:access|refresh|id)?_?token|secret|password|passwd|api[_-]?key|client[_-]?secret|signature|sign)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi,
];

export function redactErrorText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= SECRET_LENGTH_MIN) out = out.split(secret).join('[redacted]');
  out = out.replace(PATTERNS[0]!, '$1 [redacted]').replace(PATTERNS[1]!, '[redacted]').replace(PATTERNS[2]!, '[redacted]').replace(PATTERNS[3]!, '$1[redacted]@').replace(PATTERNS[4]!, '$1$2[redacted]');
  return out;
}
