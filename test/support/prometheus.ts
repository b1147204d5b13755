/**
 * Reading /metrics with a real Prometheus text parser: the official Python
 * client's (`prometheus_client.parser`, Debian's python3-prometheus-client,
 * installed by .ci/run). The npm parsers tried drop the labels of
 * histograms, which are most of what slotwire exports.
 */
import { execFile } from 'node:child_process';

/** One sample: `name` with its suffix (`_count`, `_bucket`…), labels, value. */
export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** One metric family as the parser reads it. */
export interface Family {
  readonly name: string;
  readonly type: string;
  readonly samples: readonly Sample[];
}

const SCRIPT = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "samples": [
        {"name": s.name, "labels": s.labels, "value": s.value if math.isfinite(s.value) else str(s.value)} for s in f.samples]})
print(json.dumps(out))
`;
import { requireProgram } from './services.js';

/** Parses Prometheus text; rejects with the parser's error on a malformed line. */
export function parsePrometheus(text: string): Promise<Family[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      requireProgram('prometheus-client'),
      ['-c', SCRIPT],
      { maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`the Prometheus parser refused the text: ${stderr || err.message}`));
        else resolve(JSON.parse(stdout) as Family[]);
      },
    );
    child.stdin?.end(text);
  });
}

/** The value of the one sample named `name` whose labels include `labels`; undefined when none, throws when several. */
export function sampleValue(
  families: readonly Family[],
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const found = families
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Every sample named `name`. */
export function samplesOf(families: readonly Family[], name: string): Sample[] {
  return families.flatMap((f) => f.samples).filter((s) => s.name === name);
}
