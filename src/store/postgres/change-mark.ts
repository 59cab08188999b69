/**
 * PostgreSQL's change mark (`Store.readChangeMark`): the server's current snapshot (`xmin:xmax:`
 * and the transactions in progress). Every write takes a transaction id, which moves `xmax`, and
 * every commit leaves the in-progress list, so the same snapshot means the same visible data.
 * It is the whole server's, so a write to another database moves it too (a needless miss only).
 */
import type pg from 'pg';

const readMark = { name: 'cronplane-change-mark', text: 'SELECT pg_current_snapshot()::text AS mark' };

export async function readPostgresChangeMark(pool: pg.Pool): Promise<string> {
  const result = await pool.query<{ mark: string }>(readMark);
  const mark = result.rows[0]?.mark;
  if (mark === undefined) throw new Error('pg_current_snapshot() answered no row');
  return mark;
}
