const UNITS: Record<string, number> = {
  B: 1 / (1024 * 1024),
  K: 1 / 1024,
  KB: 1 / 1024,
  M: 1,
  MB: 1,
  G: 1024,
  GB: 1024,
  T: 1024 * 1024,
  TB: 1024 * 1024,
};

/**
 * Cloud Foundry's memory/disk notation ("256M", "1G", "512MB") in megabytes, or null when the
 * text is not a size with one of CF's units.
 */
export function parseMegabytes(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(text);
  if (!m?.[1] || !m[2]) return null;
  const factor = UNITS[m[2].toUpperCase()];
  if (factor === undefined) return null;
  const mb = Number(m[1]) * factor;
  return Number.isFinite(mb) ? Math.ceil(mb) : null;
}
