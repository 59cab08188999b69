import type {
  AuditPage,
  AuditQuery,
  Control,
  EnqueueInput,
  EventPage,
  EventQuery,
  FiresQuery,
  FollowOptions,
  FollowRunsOptions,
  JobPage,
  JobQuery,
  LogEvent,
  LogPage,
  LogQuery,
  MetricQuery,
  MonitorChange,
  NodeChange,
  PageQuery,
  PingPage,
  RecentRunsQuery,
  RunPage,
  RunQuery,
  RunStatsQuery,
  TriggerOptions,
  JobPut,
  WriteOptions,
} from './control.ts';
import type {
  ApiJobEntryView,
  JobBatchView,
  JobDeleteView,
  JobVersionView,
  JobWriteView,
} from './views/job-write-view.ts';
import type { InstanceListView } from './views/instance-view.ts';
import { noDaemon, refusalOf, requestApi } from './api-request.ts';
import { readEventStream } from './read-event-stream.ts';
import { runOutput } from './run-output.ts';
import type { RunOutputOptions } from './run-output.ts';
import type { EventView } from './views/event-view.ts';
import type { JobFiresView } from './views/job-fires-view.ts';
import type { JobView } from './views/job-view.ts';
import type { LogChunkView } from './views/log-chunk-view.ts';
import type { JobMetricsView, MetricHistoryView } from './views/metric-history-view.ts';
import type { MonitorView } from './views/monitor-view.ts';
import type { NodeView } from './views/node-view.ts';
import type { QueueSummaryView, QueueView } from './views/queue-view.ts';
import type { RunDetail, RunView } from './views/run-view.ts';
import type { RecentRunsView, RunChangeView } from './views/recent-runs-view.ts';
import type { RunStatsView } from './views/run-stats-view.ts';

export interface HttpControlOptions {
  /** The daemon's API: `http://127.0.0.1:7070` (a trailing slash is ignored). */
  readonly server: string;
  /** An API token; its scope and job patterns limit what this control may do. */
  readonly token: string;
  /** How long a request may take (default 10 s; following logs has no limit). */
  readonly timeoutMs?: number;
}

type Search = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>;

/**
 * The operations carried out by a running daemon, through its HTTP API with a token: the same
 * answers and the same refusals (`ControlError` with the API's code) as a `LocalControl` there.
 */
export class HttpControl implements Control {
  readonly #base: string;
  readonly #token: string;
  readonly #timeoutMs: number | undefined;

  constructor(options: HttpControlOptions) {
    this.#base = options.server.replace(/\/+$/, '');
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs;
  }

  /** The API's base URL. */
  get server(): string {
    return this.#base;
  }

  async listJobs(query: JobQuery = {}): Promise<JobPage> {
    return this.#get<JobPage>('/api/jobs', { limit: query.limit, cursor: query.cursor });
  }

  async getJob(name: string): Promise<JobView> {
    return (await this.#get<{ job: JobView }>(`/api/jobs/${segment(name)}`)).job;
  }

  putJob(name: string, entry: unknown, options: WriteOptions = {}): Promise<JobWriteView> {
    return this.#send<JobWriteView>('PUT', `/api/jobs/${segment(name)}`, entry, options);
  }

  patchJob(name: string, patch: unknown, options: WriteOptions = {}): Promise<JobWriteView> {
    return this.#send<JobWriteView>('PATCH', `/api/jobs/${segment(name)}`, patch, options);
  }

  deleteJob(name: string, options: WriteOptions = {}): Promise<JobDeleteView> {
    return this.#send<JobDeleteView>('DELETE', `/api/jobs/${segment(name)}`, undefined, options);
  }

  putJobs(jobs: readonly JobPut[]): Promise<JobBatchView> {
    return this.#send<JobBatchView>('PUT', '/api/jobs', jobs, {});
  }

  putInstance(
    template: string,
    key: string,
    body: unknown,
    options: WriteOptions = {},
  ): Promise<JobWriteView> {
    return this.#send<JobWriteView>(
      'PUT',
      `/api/jobs/${segment(template)}/instances/${segment(key)}`,
      body,
      options,
    );
  }

  listInstances(template: string): Promise<InstanceListView> {
    return this.#get<InstanceListView>(`/api/jobs/${segment(template)}/instances`);
  }

  deleteInstance(template: string, key: string, options: WriteOptions = {}): Promise<JobDeleteView> {
    return this.#send<JobDeleteView>(
      'DELETE',
      `/api/jobs/${segment(template)}/instances/${segment(key)}`,
      undefined,
      options,
    );
  }

  async listJobVersions(name: string): Promise<readonly JobVersionView[]> {
    return (await this.#get<{ versions: JobVersionView[] }>(`/api/jobs/${segment(name)}/versions`)).versions;
  }

  /**
   * The daemon has no listing of entries: its job listing says which jobs are the API's, and each
   * one's versions give the entry in force (a request per API job, a few at a time).
   */
  async listApiJobEntries(): Promise<readonly ApiJobEntryView[]> {
    return (await this.#get<{ entries: ApiJobEntryView[] }>('/api/job-entries')).entries;
  }

  async pauseJob(name: string): Promise<JobView> {
    return (await this.#post<{ job: JobView }>(`/api/jobs/${segment(name)}/pause`)).job;
  }

  async resumeJob(name: string): Promise<JobView> {
    return (await this.#post<{ job: JobView }>(`/api/jobs/${segment(name)}/resume`)).job;
  }

  listNextFires(name: string, query: FiresQuery = {}): Promise<JobFiresView> {
    return this.#get<JobFiresView>(`/api/jobs/${segment(name)}/fires`, {
      count: query.count,
      after: instant(query.after),
    });
  }

  async triggerJob(name: string, options: TriggerOptions = {}): Promise<readonly RunView[]> {
    const body = {
      ...(options.params === undefined ? {} : { params: options.params }),
      ...(options.dryRun === undefined ? {} : { dryRun: options.dryRun }),
      ...(options.force === undefined ? {} : { force: options.force }),
    };
    return (await this.#post<{ runs: RunView[] }>(`/api/jobs/${segment(name)}/trigger`, body)).runs;
  }

  async enqueue(name: string, input: EnqueueInput): Promise<RunView> {
    const body = {
      payload: input.payload,
      ...(input.priority === undefined ? {} : { priority: input.priority }),
    };
    return (await this.#post<{ run: RunView }>(`/api/jobs/${segment(name)}/queue`, body)).run;
  }

  async listQueues(): Promise<readonly QueueSummaryView[]> {
    return (await this.#get<{ queues: QueueSummaryView[] }>('/api/queues')).queues;
  }

  getQueue(name: string): Promise<QueueView> {
    return this.#get<QueueView>(`/api/jobs/${segment(name)}/queue`);
  }

  listJobMetrics(name: string): Promise<JobMetricsView> {
    return this.#get<JobMetricsView>(`/api/jobs/${segment(name)}/metrics`);
  }

  getMetricHistory(name: string, metric: string, query: MetricQuery = {}): Promise<MetricHistoryView> {
    return this.#get<MetricHistoryView>(`/api/jobs/${segment(name)}/metrics/history`, {
      // None given is refused by the operation (after the job), as over LocalControl.
      metric: metric === '' ? undefined : metric,
      key: query.key,
      from: instant(query.from),
      to: instant(query.to),
      points: query.points,
    });
  }

  listRecentRuns(query: RecentRunsQuery = {}): Promise<RecentRunsView> {
    return this.#get<RecentRunsView>('/api/runs/recent', { jobs: query.jobs, per: query.perKey });
  }

  /**
   * The live stream of run changes (Server-Sent Events). When the server cuts it (a restart, a
   * reader that fell behind) it is opened again; changes made in between are not replayed.
   */
  async *followRuns(options: FollowRunsOptions = {}): AsyncGenerator<RunChangeView> {
    while (options.signal?.aborted !== true) {
      const response = await this.#openStream('/api/runs/stream', options.signal);
      if (response === undefined) return;
      try {
        for await (const event of readEventStream(response)) {
          if (event.event === 'run') yield JSON.parse(event.data) as RunChangeView;
          else if (event.event === 'error') throw refusalOf(500, JSON.parse(event.data), event.data);
        }
      } catch (thrown) {
        if (isAborted(options.signal)) return;
        throw thrown;
      }
    }
  }

  getRunStats(query: RunStatsQuery = {}): Promise<RunStatsView> {
    return this.#get<RunStatsView>('/api/runs/stats', {
      job: query.job,
      from: instant(query.from),
      to: instant(query.to),
      bucket: query.bucketMs === undefined ? undefined : `${query.bucketMs}ms`,
    });
  }

  listRuns(query: RunQuery = {}): Promise<RunPage> {
    return this.#get<RunPage>('/api/runs', {
      job: query.job,
      key: query.key,
      status: query.status,
      trigger: query.trigger,
      from: instant(query.from),
      to: instant(query.to),
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  getRun(id: number): Promise<RunDetail> {
    return this.#get<RunDetail>(`/api/runs/${id}`);
  }

  async retryRun(id: number): Promise<RunView> {
    return (await this.#post<{ run: RunView }>(`/api/runs/${id}/retry`)).run;
  }

  async cancelRun(id: number): Promise<RunView> {
    return (await this.#post<{ run: RunView }>(`/api/runs/${id}/cancel`)).run;
  }

  readLogs(id: number, query: LogQuery = {}): Promise<LogPage> {
    return this.#get<LogPage>(`/api/runs/${id}/logs`, { after: query.after, limit: query.limit });
  }

  /**
   * The live stream (Server-Sent Events). When the server cuts the stream before the run's end
   * (a slow reader, a restart), it resumes after the last chunk received.
   */
  async *followLogs(id: number, options: FollowOptions = {}): AsyncGenerator<LogEvent> {
    // The run and the token are checked first, with the API's own refusals.
    await this.readLogs(id, { limit: 1 });
    let after = options.after ?? 0;
    while (options.signal?.aborted !== true) {
      const response = await this.#openStream(`/api/runs/${id}/logs/stream?after=${after}`, options.signal);
      if (response === undefined) return;
      try {
        for await (const event of readEventStream(response)) {
          if (event.event === 'log') {
            const chunk = JSON.parse(event.data) as LogChunkView;
            after = chunk.seq;
            yield { kind: 'log', chunk };
          } else if (event.event === 'end') {
            const end = JSON.parse(event.data) as {
              status: string;
              exitCode: number | null;
              error: string | null;
            };
            yield { kind: 'end', status: end.status, exitCode: end.exitCode, error: end.error };
            return;
          } else if (event.event === 'error') {
            throw refusalOf(500, JSON.parse(event.data), event.data);
          }
        }
      } catch (thrown) {
        if (isAborted(options.signal)) return;
        throw thrown;
      }
    }
  }

  async listEvents(query: EventQuery = {}): Promise<EventPage> {
    return this.#get<EventPage>('/api/events', {
      job: query.job,
      kind: query.kind,
      severity: query.severity,
      open: query.open,
      since: instant(query.since),
      until: instant(query.until),
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  async getEvent(id: number): Promise<EventView> {
    return (await this.#get<{ event: EventView }>(`/api/events/${id}`)).event;
  }

  async resolveEvent(id: number): Promise<EventView> {
    return (await this.#post<{ event: EventView }>(`/api/events/${id}/resolve`)).event;
  }

  async listMonitors(): Promise<readonly MonitorView[]> {
    return (await this.#get<{ monitors: MonitorView[] }>('/api/monitors')).monitors;
  }

  async getMonitor(name: string): Promise<MonitorView> {
    return (await this.#get<{ monitor: MonitorView }>(`/api/monitors/${segment(name)}`)).monitor;
  }

  listMonitorPings(name: string, query: PageQuery = {}): Promise<PingPage> {
    return this.#get<PingPage>(`/api/monitors/${segment(name)}/pings`, {
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  pauseMonitor(name: string): Promise<MonitorChange> {
    return this.#post<MonitorChange>(`/api/monitors/${segment(name)}/pause`);
  }

  resumeMonitor(name: string): Promise<MonitorChange> {
    return this.#post<MonitorChange>(`/api/monitors/${segment(name)}/resume`);
  }

  listAudit(query: AuditQuery = {}): Promise<AuditPage> {
    return this.#get<AuditPage>('/api/audit', {
      actor: query.actor,
      action: query.action,
      limit: query.limit,
      cursor: query.cursor,
    });
  }

  async listNodes(): Promise<readonly NodeView[]> {
    return (await this.#get<{ nodes: NodeView[] }>('/api/nodes')).nodes;
  }

  drainNode(name: string): Promise<NodeChange> {
    return this.#post<NodeChange>(`/api/nodes/${segment(name)}/drain`);
  }

  // ---- The typed client's own (`cronplane/client`, docs/client.md): built on the operations above. ----

  /**
   * A run's output, chunk by chunk: `for await (const chunk of client.logs(id, { follow: true }))`
   * follows the live stream and ends when the run ends; without `follow`, the chunks stored so
   * far. `signal` ends the iteration early.
   */
  logs(id: number, options: RunOutputOptions = {}): AsyncGenerator<LogChunkView> {
    return runOutput(this, id, options);
  }

  async #get<T>(path: string, search: Search = {}): Promise<T> {
    const answer = await requestApi<T>({
      base: this.#base,
      token: this.#token,
      method: 'GET',
      path: `${path}${queryString(search)}`,
      ...(this.#timeoutMs === undefined ? {} : { timeoutMs: this.#timeoutMs }),
    });
    return answer.body;
  }

  async #post<T>(path: string, body?: unknown): Promise<T> {
    const answer = await requestApi<T>({
      base: this.#base,
      token: this.#token,
      method: 'POST',
      path,
      ...(body === undefined ? {} : { body }),
      ...(this.#timeoutMs === undefined ? {} : { timeoutMs: this.#timeoutMs }),
    });
    return answer.body;
  }

  async #send<T>(
    method: 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body: unknown,
    options: WriteOptions,
  ): Promise<T> {
    const answer = await requestApi<T>({
      base: this.#base,
      token: this.#token,
      method,
      path,
      ...(body === undefined ? {} : { body }),
      ...(options.ifMatch === undefined ? {} : { headers: { 'if-match': `"${options.ifMatch}"` } }),
      ...(this.#timeoutMs === undefined ? {} : { timeoutMs: this.#timeoutMs }),
    });
    return answer.body;
  }

  /** A live stream's body, or undefined once `signal` aborted. */
  async #openStream(
    path: string,
    signal: AbortSignal | undefined,
  ): Promise<AsyncIterable<Uint8Array> | undefined> {
    let response: Response;
    try {
      response = await fetch(`${this.#base}${path}`, {
        headers: { authorization: `Bearer ${this.#token}`, accept: 'text/event-stream' },
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (thrown) {
      if (signal?.aborted === true) return undefined;
      throw noDaemon(this.#base, thrown, this.#timeoutMs ?? 10_000);
    }
    if (!response.ok || response.body === null) {
      const text = await response.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      throw refusalOf(response.status, body, text);
    }
    return response.body;
  }
}

/** Read through a call, so a check after an await is not narrowed away by the one before it. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** A path segment: a job, monitor or node name. */
function segment(name: string): string {
  return encodeURIComponent(name);
}

function instant(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

function queryString(search: Search): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(search)) {
    if (value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
