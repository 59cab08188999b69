/** An instant in the viewer's time zone, UTC on hover. */
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * An instant as text in the viewer's time zone, for titles and labels (one formatter for all: a
 * strip of 50 on 100 rows is 5,000 titles, and `toLocaleString` builds a formatter each time).
 */
export function localTime(at: string): string {
  return format.format(new Date(at));
}

export function When({ at }: { readonly at: string | null }) {
  if (at === null) return <span class="muted">—</span>;
  const date = new Date(at);
  return (
    <time
      dateTime={at}
      title={`${date
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d+Z$/, ' UTC')}`}
    >
      {localTime(at)}
    </time>
  );
}
