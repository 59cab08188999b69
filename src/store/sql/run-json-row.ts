/**
 * A run read as one JSON value per row instead of one value per column: the database writes
 * `[id, job, ...]` (every column of `runs`, in `runColumns` order) and the driver hands over one
 * string where it would have decoded 31 fields (the PostgreSQL driver's row parsing was most of a
 * listing's cost). The numbers the run reported can ride along as a JSON object the same way.
 * Both databases write JSON numbers that read back exactly (17 significant digits when needed).
 */
import { sql } from 'kysely';
import type { RawBuilder } from 'kysely';
import { runColumns } from '../row-mapping.ts';
import type { StoreDialect } from '../store.ts';

/** The select expression of a run as a JSON array, in `runColumns` order. */
export function runAsJsonArray(dialect: StoreDialect): RawBuilder<unknown> {
  const columns = sql.join(runColumns.map((column) => sql.ref(`runs.${column}`)));
  return dialect === 'postgres' ? sql`json_build_array(${columns})` : sql`json_array(${columns})`;
}

/** The select expression of a run's metrics as a JSON object by name (null or `{}` for none). */
export function runMetricsAsJsonObject(dialect: StoreDialect): RawBuilder<unknown> {
  return dialect === 'postgres'
    ? sql`(SELECT json_object_agg(m.name, m.value ORDER BY m.name) FROM run_metrics m WHERE m.run_id = runs.id)`
    : sql`(SELECT json_group_object(m.name, m.value ORDER BY m.name) FROM run_metrics m WHERE m.run_id = runs.id)`;
}

/** A JSON column as the driver gives it: parsed already (PostgreSQL's json) or as text (SQLite). */
export function readJsonColumn(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
