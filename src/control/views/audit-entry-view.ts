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

export const auditPageSchema = z.object({
  entries: z.array(auditEntryViewSchema),
  nextCursor: z.int().nullable(),
});
export type AuditPage = z.output<typeof auditPageSchema>;

/** An entry of the audit log as the API shows it. */
export function auditEntryView(entry: AuditEntry): AuditEntryView {
  return { ...entry, at: iso(entry.at) as string };
}
