/**
 * A Prometheus histogram for the per-call series (requests, action runs,
 * upstream attempts): each call is one lookup of its label values and a few
 * additions. prom-client's `observe` checks and hashes the label object on
 * every call (three times per webhook call: 2.7–3.7 µs per call in
 * bench/observers.mjs, against 0.9–1.1 µs here); here a label set is
 * checked once, when it is first seen, and kept. Label values are map keys,
 * so a call site passes each label's values with one type (a status code
 * always as a number): prom-client would print 200 and '200' as one series.
 *
 * It is a prom-client metric by shape (`name`, `help`, `type`, `aggregator`,
 * `get()`), registered with `Registry.registerMetric`, so the text format,
 * `/metrics` and the `--workers` aggregation stay prom-client's own; a test
 * holds its output byte-identical to a prom-client `Histogram` fed the same
 * values.
 */
import type { MetricValueWithName, Registry } from 'prom-client';

/** What prom-client's registry reads of a metric at a scrape (its typings name only its own classes). */
export interface HistogramData {
  readonly name: string;
  readonly help: string;
  readonly type: 'histogram';
  readonly aggregator: 'sum';
  readonly values: MetricValueWithName<string>[];
}

/** A label value: strings, and numbers such as status codes (prom-client prints both alike). */
type LabelValue = string | number;

/** The counts of one label set. */
class Series {
  /** per bucket, not cumulative (cumulated at a scrape) */
  readonly counts: Float64Array;
  readonly labels: Readonly<Record<string, LabelValue>>;
  private readonly bounds: readonly number[];
  sum = 0;
  count = 0;

  constructor(labels: Readonly<Record<string, LabelValue>>, bounds: readonly number[]) {
    this.labels = labels;
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const { bounds } = this;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.counts[i] += 1;
        return;
      }
    }
  }
}

// Nested maps, one level per label: a lookup builds no key string.
type Level = Map<LabelValue, Level | Series>;

/** Options of {@link SeriesHistogram}. */
export interface SeriesHistogramOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** upper bounds, ascending; `+Inf` is implied */
  readonly buckets: readonly number[];
  readonly registers: readonly Registry[];
}

/** A histogram whose label sets are found by their values, in `labelNames` order. */
export class SeriesHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = 'histogram' as const;
  readonly aggregator = 'sum' as const;
  private readonly labelNames: readonly string[];
  private readonly buckets: readonly number[];
  private readonly root: Level = new Map();
  /** every series in the order first seen (prom-client's order too) */
  private readonly all: Series[] = [];

  constructor(options: SeriesHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    this.buckets = options.buckets;
    // `never`: prom-client types registerMetric for its own classes; its registry reads only name, help, type, aggregator and get().
    for (const registry of options.registers) registry.registerMetric(this as never);
  }

  /** Adds `value` to the series of these label values (one per label name, in order). */
  observe(values: readonly LabelValue[], value: number): void {
    let level = this.root;
    const last = values.length - 1;
    for (let i = 0; i < last; i++) {
      let next = level.get(values[i]) as Level | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(values[i], next);
      }
      level = next;
    }
    let series = level.get(values[last]) as Series | undefined;
    if (series === undefined) {
      series = this.create(values);
      level.set(values[last], series);
    }
    series.observe(value);
  }

  private create(values: readonly LabelValue[]): Series {
    if (values.length !== this.labelNames.length)
      throw new TypeError(`${this.name} takes ${this.labelNames.length} label values, got ${values.length}`);
    const labels: Record<string, LabelValue> = {};
    this.labelNames.forEach((name, i) => {
      labels[name] = values[i];
    });
    const series = new Series(labels, this.buckets);
    this.all.push(series);
    return series;
  }

  /** prom-client's form of a histogram: cumulative `_bucket`s with `le`, then `+Inf`, `_sum`, `_count`. */
  get(): Promise<HistogramData> {
    const values: MetricValueWithName<string>[] = [];
    const bucket = `${this.name}_bucket`;
    for (const series of this.all) {
      let cumulative = 0;
      this.buckets.forEach((le, i) => {
        cumulative += series.counts[i];
        values.push({ labels: { le, ...series.labels }, value: cumulative, metricName: bucket });
      });
      values.push(
        { labels: { le: '+Inf', ...series.labels }, value: series.count, metricName: bucket },
        { labels: { ...series.labels }, value: series.sum, metricName: `${this.name}_sum` },
        { labels: { ...series.labels }, value: series.count, metricName: `${this.name}_count` },
      );
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values });
  }
}
