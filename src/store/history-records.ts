/**
 * What charts read from the store: the series of numbers a job's runs reported, a series over a
 * time range (down-sampled by the store when it holds more points than asked), and run counts
 * per status per time bucket. Buckets are aligned to whole multiples of their width since the
 * epoch (a day's bucket starts at 00:00 UTC).
 */
import type { RunStatus } from './run-status.ts';

/** One metric of a job for one fan-out key, with how many values are stored and when. */
export interface MetricSeriesRecord {
  readonly name: string;
  /** '' when the job does not fan out. */
  readonly fanKey: string;
  readonly points: number;
  readonly firstAt: number;
  readonly lastAt: number;
}

export interface MetricHistoryQuery {
  readonly job: string;
  readonly name: string;
  /** One fan-out key only; every key when absent. */
  readonly fanKey?: string;
  /** Reported at or after (epoch ms). */
  readonly from: number;
  /** Reported before (epoch ms); after `from`. */
  readonly to: number;
  /**
   * The most values a key's series may give (2 to 10,000): a key with more in the range is
   * down-sampled into at most this many buckets.
   */
  readonly maxPoints: number;
}

/**
 * A value, or a bucket of values, of one key's series. A value as reported is a bucket of one:
 * `count` 1, `at` its time and min, max, mean and last the value itself.
 */
export interface MetricBucket {
  readonly fanKey: string;
  /** The bucket's start (the value's time when not down-sampled). */
  readonly at: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  /** The latest value in the bucket (by report time, then run id). */
  readonly last: number;
  /** The run that reported `last`. */
  readonly lastRunId: number;
}

export interface MetricHistory {
  /** The width of a bucket in milliseconds, or null when every value is given as reported. */
  readonly bucketMs: number | null;
  /** By key, then by time. */
  readonly buckets: readonly MetricBucket[];
}

export interface RunCountQuery {
  /** Runs of this job only; every job when absent. */
  readonly job?: string;
  /** Scheduled at or after (epoch ms). */
  readonly from: number;
  /** Scheduled before (epoch ms); after `from`. */
  readonly to: number;
  /** A bucket's width in milliseconds; at most 10,000 buckets in the range. */
  readonly bucketMs: number;
}

/** How many runs scheduled in one bucket are now in one status (buckets with none are left out). */
export interface RunCountBucket {
  readonly start: number;
  readonly status: RunStatus;
  readonly count: number;
}
