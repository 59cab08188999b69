import type { ResolvedJob } from '../config/index.ts';
import { renderAlertTemplate } from '../config/index.ts';
import type { JsonValue, RunRecord, Store } from '../store/index.ts';
import { outputExcerpt } from './output-excerpt.ts';

/** What a failure alert says of its run beyond the title: the summary's lines and the details. */
export interface RunEvidence {
  readonly summary: string;
  readonly details: Readonly<Record<string, string | number>>;
}

export interface RunEvidenceInput {
  readonly store: Store;
  readonly run: RunRecord;
  readonly job: ResolvedJob;
  /** The alert's title: the run's error is left out of the summary when the title says it already. */
  readonly title: string;
  /** The run's facts (exit code, status, attempt, duration...), shown as details before the included fields. */
  readonly facts: Readonly<Record<string, string | number>>;
}

/**
 * The evidence of a run that failed, as the job's `alert:` asks (docs/alerts.md#evidence):
 * the `message:` line filled from the run's metrics, facts and payload; the error unless the
 * title says it; the last lines of a command's output or the start of an HTTP response's body,
 * bounded by `output_lines` and `output_bytes`. Details are the facts, the queue item's key
 * field and the `include:`d fields. Output is read as stored, so already masked.
 */
export async function runEvidence({ store, run, job, title, facts }: RunEvidenceInput): Promise<RunEvidence> {
  const { alert } = job;
  const payload = payloadFields(run.payload);
  const metrics =
    alert.include.length > 0 || alert.message !== undefined ? await store.getRunMetrics(run.id) : {};
  const fields: Record<string, string | number> = {
    job: run.job,
    run_id: run.id,
    ...facts,
    ...payload,
    ...metrics,
  };
  const details: Record<string, string | number> = { ...facts };
  const key = job.queue?.key;
  if (key !== undefined && Object.hasOwn(payload, `payload.${key}`)) {
    details[key] = payload[`payload.${key}`] as string | number;
  }
  for (const name of alert.include) {
    const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
    details[name.replace(/^payload\./, '')] = value ?? '(none)';
  }
  const lines: string[] = [];
  if (alert.message !== undefined) lines.push(renderAlertTemplate(alert.message, fields));
  const error = run.error ?? run.statusReason;
  if (error !== null && !title.includes(error)) lines.push(error);
  const http = run.httpStatus !== null;
  const excerpt = outputExcerpt(await store.readLogs(run.id), http ? 'head' : 'tail', {
    lines: alert.outputLines,
    bytes: alert.outputBytes,
  });
  if (excerpt !== undefined) {
    if (lines.length > 0) lines.push('');
    if (http) lines.push('response body:');
    lines.push(excerpt.text);
    if (excerpt.cut) {
      const shown = excerpt.text.split('\n').length;
      details[http ? 'body' : 'output'] =
        `${http ? 'first' : 'last'} ${shown} of ${excerpt.totalLines} line${excerpt.totalLines === 1 ? '' : 's'}`;
    }
  }
  if (lines.length === 0) lines.push(`run ${run.id} ended ${run.status}`);
  return { summary: lines.join('\n'), details };
}

/**
 * A queue item's own fields for an alert's details: the payload's top-level scalar fields
 * (`batch_id`, `organization_id`...), at most `limit` of them, values cut to 200 characters.
 */
export function queueItemFields(payload: JsonValue | null, limit = 10): Record<string, string | number> {
  const fields: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(payloadFields(payload)).slice(0, limit))
    fields[name.slice('payload.'.length)] = typeof value === 'string' ? value.slice(0, 200) : value;
  return fields;
}

/** The payload's top-level scalar fields as `payload.NAME`. */
function payloadFields(payload: JsonValue | null): Record<string, string | number> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return {};
  const fields: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(payload as { readonly [field: string]: JsonValue })) {
    if (typeof value === 'string' || typeof value === 'number') fields[`payload.${name}`] = value;
    else if (typeof value === 'boolean') fields[`payload.${name}`] = String(value);
  }
  return fields;
}
