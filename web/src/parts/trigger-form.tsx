import { useState } from 'preact/hooks';
import { ApiFailure, api } from '../api.ts';
import type { JobDetail, ParamRule, RunView } from '../types.ts';

type Values = Record<string, string>;

/** What a field starts with: its default (a secret's stays with the server, so empty), or nothing. */
function initialValues(job: JobDetail): Values {
  const values: Values = {};
  for (const [name, rule] of Object.entries(job.paramRules)) {
    const preset = job.params[name];
    values[name] = rule.secret || preset === undefined ? (rule.type === 'boolean' ? 'false' : '') : preset;
  }
  return values;
}

/** The parameters to send: those given; an empty field keeps its default (a required one is refused). */
function paramsToSend(job: JobDetail, values: Values): Values {
  const sent: Values = {};
  for (const [name, rule] of Object.entries(job.paramRules)) {
    const value = values[name] ?? '';
    if (value === '' && !rule.required) continue;
    if (rule.type === 'boolean' && !rule.required && value === job.params[name]) continue;
    sent[name] = value;
  }
  return sent;
}

function ParamField({
  name,
  rule,
  preset,
  value,
  problem,
  onChange,
}: {
  readonly name: string;
  readonly rule: ParamRule;
  readonly preset: string | undefined;
  readonly value: string;
  readonly problem: string | undefined;
  readonly onChange: (value: string) => void;
}) {
  const id = `param-${name}`;
  const described = [`${id}-hint`, ...(problem === undefined ? [] : [`${id}-problem`])].join(' ');
  const common = {
    id,
    name,
    'aria-describedby': described,
    'aria-invalid': problem === undefined ? undefined : ('true' as const),
    'aria-required': rule.required ? ('true' as const) : undefined,
  };
  const label = (
    <label for={id}>
      {name}
      {rule.required && (
        <span class="required">
          {' '}
          <span aria-hidden="true">*</span>
          <span class="sr-only">(required)</span>
        </span>
      )}
    </label>
  );
  let control;
  if (rule.type === 'boolean') {
    control = (
      <input
        {...common}
        type="checkbox"
        checked={value === 'true'}
        onChange={(event) => onChange(event.currentTarget.checked ? 'true' : 'false')}
      />
    );
  } else if (rule.type === 'enum' && rule.values !== null) {
    control = (
      <select {...common} value={value} onChange={(event) => onChange(event.currentTarget.value)}>
        {(rule.required || preset === undefined) && <option value="">choose…</option>}
        {rule.values.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    );
  } else if (rule.secret) {
    control = (
      <input
        {...common}
        type="password"
        autoComplete="off"
        value={value}
        placeholder={preset === undefined ? '' : 'default kept'}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type="text"
        inputMode={rule.type === 'integer' ? 'numeric' : rule.type === 'number' ? 'decimal' : 'text'}
        autoComplete="off"
        value={value}
        placeholder={preset ?? ''}
        onInput={(event) => onChange(event.currentTarget.value)}
      />
    );
  }
  return (
    <div class={`field field-${rule.type}`} data-param={name}>
      {rule.type === 'boolean' ? (
        <>
          {control} {label}
        </>
      ) : (
        <>
          {label} {control}
        </>
      )}
      <small id={`${id}-hint`} class="hint">
        {rule.type} — {rule.rule}
        {rule.description !== null && ` — ${rule.description}`}
        {rule.secret && ' — secret: kept out of the run record'}
      </small>
      {problem !== undefined && (
        <small id={`${id}-problem`} class="field-problem" role="alert">
          {problem}
        </small>
      )}
    </div>
  );
}

/**
 * Runs the job now with the parameters it declares: a field per parameter built from its rule,
 * a dry run on request; a refusal shows beside the field it names.
 */
export function TriggerForm({
  job,
  onTriggered,
}: {
  readonly job: JobDetail;
  readonly onTriggered: (runs: readonly RunView[]) => void;
}) {
  const [values, setValues] = useState<Values>(() => initialValues(job));
  const [dryRun, setDryRun] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Readonly<Record<string, string>>>({});
  const [answer, setAnswer] = useState<
    { readonly runs: readonly RunView[] } | { readonly problem: string }
  >();

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setProblems({});
    setAnswer(undefined);
    try {
      const queued = await api.post<{ runs: RunView[] }>(
        `/api/jobs/${encodeURIComponent(job.name)}/trigger`,
        {
          params: paramsToSend(job, values),
          ...(dryRun ? { dryRun: true } : {}),
        },
      );
      setAnswer({ runs: queued.runs });
      onTriggered(queued.runs);
    } catch (thrown) {
      const failure = thrown instanceof ApiFailure ? thrown : undefined;
      const field = failure?.path?.match(/^body\.params\.(.+)$/)?.[1];
      if (failure !== undefined && field !== undefined && Object.hasOwn(job.paramRules, field)) {
        setProblems({ [field]: failure.message });
        document.getElementById(`param-${field}`)?.focus();
      } else {
        setAnswer({ problem: failure?.message ?? String(thrown) });
      }
    } finally {
      setBusy(false);
    }
  };

  const names = Object.keys(job.paramRules);
  return (
    <form
      class="trigger"
      onSubmit={(event) => void submit(event)}
      aria-labelledby="trigger-heading"
      noValidate
    >
      <h2 id="trigger-heading">Run now</h2>
      {names.length === 0 && <p class="muted">This job declares no parameters.</p>}
      <div class="fields">
        {names.map((name) => (
          <ParamField
            key={name}
            name={name}
            rule={job.paramRules[name] as ParamRule}
            preset={job.params[name]}
            value={values[name] ?? ''}
            problem={problems[name]}
            onChange={(value) => setValues((before) => ({ ...before, [name]: value }))}
          />
        ))}
      </div>
      <div class="trigger-actions">
        <label>
          <input
            type="checkbox"
            checked={dryRun}
            onChange={(event) => setDryRun(event.currentTarget.checked)}
          />{' '}
          Dry run <span class="muted">(CRONPLANE_DRY_RUN=1)</span>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {job.fanOut > 1 ? `Run now (${job.fanOut} runs)` : 'Run now'}
        </button>
      </div>
      <div class="trigger-answer" role="status">
        {answer !== undefined &&
          ('problem' in answer ? (
            <p class="problem">{answer.problem}</p>
          ) : (
            <p>
              Queued{' '}
              {answer.runs.map((run, index) => (
                <span key={run.id}>
                  {index > 0 && ', '}
                  <a href={`/runs/${run.id}`}>run {run.id}</a>
                  {run.fanKey !== '' && ` (${run.fanKey})`}
                </span>
              ))}
              .
            </p>
          ))}
      </div>
    </form>
  );
}
