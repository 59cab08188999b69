import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.ts';
import { errorText } from './error-text.ts';

export interface ApiView<T> {
  /** What `GET path` answered; undefined until the first answer for this path. */
  readonly view: T | undefined;
  /** Why the last read or action failed; cleared by the next good read. */
  readonly problem: string | undefined;
  /** Shows what an action answered (the job after Pause) until the next read. */
  readonly setView: (view: T) => void;
  /** Says why an action of the page failed, in the same place as a failed read. */
  readonly setProblem: (problem: string | undefined) => void;
}

export interface ReadOptions {
  /** Read again whenever this changes (a refresh, an action's answer, a live change). */
  readonly version?: unknown;
  /**
   * Keep showing the view of the former path while a new path is read (a chart whose range moved
   * on); otherwise a view of another path is never shown.
   */
  readonly keep?: boolean;
}

/**
 * Reads `path` from the API, and again whenever `options.version` changes. A problem of another
 * path is never shown. An undefined path reads nothing (the page may not read it).
 */
export function useApiView<T>(path: string | undefined, options: ReadOptions = {}): ApiView<T> {
  const { version, keep = false } = options;
  const [read, setRead] = useState<{ readonly path: string; readonly view: T } | undefined>(undefined);
  const [failed, setFailed] = useState<{ readonly path: string; readonly text: string } | undefined>(
    undefined,
  );
  useEffect(() => {
    if (path === undefined) return;
    let current = true;
    api.get<T>(path).then(
      (view) => {
        if (!current) return;
        setRead({ path, view });
        setFailed(undefined);
      },
      (thrown: unknown) => {
        if (current) setFailed({ path, text: errorText(thrown) });
      },
    );
    return () => {
      current = false;
    };
  }, [path, version]);
  return {
    view: path !== undefined && (keep || read?.path === path) ? read?.view : undefined,
    problem: path !== undefined && failed?.path === path ? failed.text : undefined,
    setView: (view) => {
      if (path !== undefined) setRead({ path, view });
    },
    setProblem: (text) => {
      if (path !== undefined) setFailed(text === undefined ? undefined : { path, text });
    },
  };
}
