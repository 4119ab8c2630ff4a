/** The origin the tile template's images come from ("" without tiles); the config checked it has one. */
export function tileOrigin(template: string | undefined): string {
  if (!template) return "";
  try {
    return new URL(template.replace(/\{[zxy]\}/g, "0")).origin;
  } catch {
    return "";
  }
}

/**
 * Only this origin, and the tile host when tiles are configured: scripts from files (no inline code),
 * data by fetch from here, nothing framed, posted or based elsewhere.
 */
export function contentSecurityPolicy(tiles: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src 'self' data:${tiles ? ` ${tiles}` : ""}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function securityHeaders(csp: string): Record<string, string> {
  return {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-resource-policy": "same-origin",
  };
}
