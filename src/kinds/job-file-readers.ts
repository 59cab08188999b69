import {
  loadJobFile as loadWith,
  loadJobFileText as loadTextWith,
  readConfig as readWith,
} from '../config/index.ts';
import type { JobFileKinds, LoadedJobFile, LoadOptions, ResolvedConfig } from '../config/index.ts';
import { builtinKinds } from './builtin-kinds.ts';

/** How a program reads a job file: the kinds default to the built-in ones. */
export interface ReadOptions extends Omit<LoadOptions, 'kinds'> {
  readonly kinds?: JobFileKinds;
}

function withKinds(options: ReadOptions): LoadOptions {
  return { ...options, kinds: options.kinds ?? builtinKinds };
}

/**
 * The library's job-file readers (`import { readConfig } from 'cronplane'`): config's own, with
 * the built-in channel kinds unless the caller passes its own list.
 */
export function readConfig(file: string, options: ReadOptions = {}): ResolvedConfig {
  return readWith(file, withKinds(options));
}

export function loadJobFile(file: string, options: ReadOptions = {}): LoadedJobFile {
  return loadWith(file, withKinds(options));
}

export function loadJobFileText(text: string, file: string, options: ReadOptions = {}): LoadedJobFile {
  return loadTextWith(text, file, withKinds(options));
}
