import { z } from 'zod';
import type { AuditEntry } from '../../store/index.ts';
import { iso } from './run-view.ts';

export const auditEntryViewSchema = z.object({
  id: z.int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
});
export type AuditEntryView = z.output<typeof auditEntryViewSchema>;

/** An entry of the audit log as the API shows it. */
export function auditEntryView(entry: AuditEntry): AuditEntryView {
  return { ...entry, at: iso(entry.at) as string };
}
