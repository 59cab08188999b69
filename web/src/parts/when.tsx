/** An instant in the viewer's time zone, UTC on hover. */
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

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
      {format.format(date)}
    </time>
  );
}
