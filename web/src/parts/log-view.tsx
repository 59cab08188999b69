import { Fragment } from 'preact';
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { LogChunk } from '../types.ts';

/** One line of output (without its newline) and the stream it came from. */
interface LogLine {
  readonly key: string;
  readonly stream: string;
  readonly text: string;
  /** Whether a newline followed it in the output. */
  readonly ended: boolean;
}

function linesOf(chunks: readonly LogChunk[]): LogLine[] {
  const lines: LogLine[] = [];
  for (const chunk of chunks) {
    const pieces = chunk.text.split('\n');
    pieces.forEach((text, index) => {
      const ended = index < pieces.length - 1;
      if (text === '' && !ended) return;
      lines.push({ key: `${chunk.seq}:${index}`, stream: chunk.stream, text, ended });
    });
  }
  return lines;
}

/**
 * Where `needle` occurs in `text`, ignoring case: a plain text comparison (what the user types is
 * never run as a pattern). Where lower-casing changes a text's length, the comparison keeps case.
 */
export function findMatches(text: string, needle: string): number[] {
  if (needle === '') return [];
  const lower = text.toLowerCase();
  const lowerNeedle = needle.toLowerCase();
  const caseless = lower.length === text.length && lowerNeedle.length === needle.length;
  const haystack = caseless ? lower : text;
  const wanted = caseless ? lowerNeedle : needle;
  const found: number[] = [];
  for (let at = haystack.indexOf(wanted); at !== -1; at = haystack.indexOf(wanted, at + wanted.length)) {
    found.push(at);
  }
  return found;
}

/** Whether an element scrolled to (nearly) its end. */
function atEnd(element: HTMLElement): boolean {
  return element.scrollTop + element.clientHeight >= element.scrollHeight - 4;
}

export interface LogViewProps {
  readonly runId: number;
  readonly chunks: readonly LogChunk[];
  /** The output is still coming (the run has not ended). */
  readonly live: boolean;
  readonly truncated: boolean;
}

/**
 * A run's output: followed to its end while "Follow" is on (scrolling up turns it off), searched
 * as plain text with every match marked and Enter / Shift+Enter moving between them, stderr lines
 * marked by a sign as well as a colour, and a link that downloads the whole log.
 */
export function LogView({ runId, chunks, live, truncated }: LogViewProps) {
  const region = useRef<HTMLPreElement>(null);
  const [follow, setFollow] = useState(true);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const lines = useMemo(() => linesOf(chunks), [chunks]);
  const matches = useMemo(() => lines.map((line) => findMatches(line.text, query)), [lines, query]);
  const total = matches.reduce((sum, found) => sum + found.length, 0);
  const shown = total === 0 ? 0 : Math.min(current, total - 1);

  useLayoutEffect(() => {
    const element = region.current;
    if (follow && element !== null) element.scrollTop = element.scrollHeight;
  }, [lines, follow]);

  useEffect(() => {
    if (total === 0 || query === '') return;
    region.current?.querySelector('mark.current')?.scrollIntoView({ block: 'nearest' });
  }, [shown, query, total]);

  const onScroll = () => {
    const element = region.current;
    if (element !== null && follow && !atEnd(element)) setFollow(false);
  };
  const move = (step: number) => {
    if (total === 0) return;
    setFollow(false);
    setCurrent((shown + step + total) % total);
  };

  let index = 0;
  const marked = (text: string, found: readonly number[]): ComponentChildren => {
    if (found.length === 0) return text;
    const parts: ComponentChildren[] = [];
    let from = 0;
    for (const at of found) {
      parts.push(text.slice(from, at));
      const isCurrent = index === shown;
      parts.push(
        <mark key={at} class={isCurrent ? 'current' : undefined}>
          {text.slice(at, at + query.length)}
        </mark>,
      );
      index += 1;
      from = at + query.length;
    }
    parts.push(text.slice(from));
    return parts;
  };

  return (
    <div class="log-view">
      <div class="log-tools">
        <label class="filter">
          Search the log
          <input
            type="search"
            value={query}
            aria-describedby="log-search-count"
            onInput={(event) => {
              setQuery(event.currentTarget.value);
              setCurrent(0);
            }}
            onKeyDown={(event) => {
              if (event.key !== 'Enter') return;
              event.preventDefault();
              move(event.shiftKey ? -1 : 1);
            }}
          />
        </label>
        <span id="log-search-count" class="muted" aria-live="polite">
          {query === '' ? '' : total === 0 ? 'no match' : `${shown + 1} of ${total}`}
        </span>
        <button type="button" aria-pressed={follow} onClick={() => setFollow(!follow)}>
          Follow
        </button>
        <a href={`/api/runs/${runId}/logs/download`} download={`run-${runId}.log`}>
          Download
        </a>
        {live && <span class="muted">following live</span>}
      </div>
      <p class="hint">
        Lines marked <span class="log-stderr-sign">!</span> came from stderr.
        {truncated && ' The output was cut at the job’s capture limit.'}
      </p>
      {lines.length === 0 ? (
        <p class="muted">{live ? 'No output yet.' : 'No output.'}</p>
      ) : (
        <pre
          class="log"
          ref={region}
          role="log"
          tabIndex={0}
          aria-label={`output of run ${runId}`}
          onScroll={onScroll}
        >
          {lines.map((line, at) => (
            <Fragment key={line.key}>
              <span class={`log-line log-${line.stream}`}>{marked(line.text, matches[at] ?? [])}</span>
              {line.ended ? '\n' : ''}
            </Fragment>
          ))}
        </pre>
      )}
    </div>
  );
}
