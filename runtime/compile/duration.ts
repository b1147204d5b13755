/** Durations and sizes as written in actions.yml, to numbers with units. */

const durationUnits: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const sizeUnits: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/** `250ms` → 250, `1.5s` → 1500. The schema guarantees the format. */
export function durationMs(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Math.round(Number(match[1]) * durationUnits[match[2]]);
}

/** `512KB` → 524288. The schema guarantees the format. */
export function sizeBytes(text: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(B|KB|MB|GB)$/.exec(text);
  if (!match) throw new Error(`not a size: ${text}`);
  return Math.round(Number(match[1]) * sizeUnits[match[2]]);
}

/** 1500 → "1.5s", for messages. */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${ms}ms` : `${ms / 1000}s`;
}
