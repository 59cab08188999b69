import type { JsonValue } from '../store/index.ts';

/** One difference between two entries: where (a JSON pointer), and the values before and after (absent: none). */
export interface EntryChange {
  readonly path: string;
  readonly from?: JsonValue;
  readonly to?: JsonValue;
}

/**
 * What changed between two job-file entries, for the audit log: objects compared key by key,
 * anything else (lists included) compared whole.
 */
export function entryDiff(before: JsonValue | null, after: JsonValue | null, path = ''): EntryChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      const inner = `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      if (!(key in after)) return [{ path: inner, from: before[key] as JsonValue }];
      if (!(key in before)) return [{ path: inner, to: after[key] as JsonValue }];
      return entryDiff(before[key] as JsonValue, after[key] as JsonValue, inner);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [
    {
      path,
      ...(before === null ? {} : { from: before }),
      ...(after === null ? {} : { to: after }),
    },
  ];
}

function isObject(value: JsonValue | null): value is { readonly [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
