import { z } from 'zod';
import type { ApiJobRecord, ApiJobVersion } from '../../store/index.ts';
import { jobViewSchema } from './job-view.ts';
import { iso } from './run-view.ts';

export const jobWriteViewSchema = z
  .object({
    change: z
      .enum(['created', 'updated', 'unchanged'])
      .describe('unchanged: the entry was the current version already (no new version)'),
    job: jobViewSchema,
  })
  .describe('an API job after a write; its version is `job.version` (also the ETag)');
export type JobWriteView = z.output<typeof jobWriteViewSchema>;

export const jobDeleteViewSchema = z
  .object({
    name: z.string(),
    change: z.literal('deleted'),
    version: z.int().describe('the version the delete is (a delete is a version too)'),
  })
  .describe('an API job deleted');
export type JobDeleteView = z.output<typeof jobDeleteViewSchema>;

export const jobBatchViewSchema = z
  .object({
    jobs: z.array(
      z.object({
        name: z.string(),
        change: z.enum(['created', 'updated', 'unchanged']),
        version: z.int(),
      }),
    ),
  })
  .describe('what a bulk write did to each job, in the order given');
export type JobBatchView = z.output<typeof jobBatchViewSchema>;

export const jobVersionViewSchema = z
  .object({
    name: z.string(),
    version: z.int(),
    change: z.enum(['created', 'updated', 'deleted']),
    entry: z.unknown().describe('the job-file entry of this version; null for a delete'),
    at: z.string(),
    actor: z.string().describe('who wrote it: the name of the API token, or `cli`'),
    token: z.string().nullable().describe('the public id of the token that wrote it'),
  })
  .describe('one version of an API job');
export type JobVersionView = z.output<typeof jobVersionViewSchema>;

export function jobVersionView(version: ApiJobVersion): JobVersionView {
  return {
    name: version.name,
    version: version.version,
    change: version.change,
    entry: version.entry,
    at: iso(version.at) as string,
    actor: version.actor,
    token: version.token,
  };
}

export const apiJobEntryViewSchema = z
  .object({
    name: z.string(),
    version: z.int().describe('the version in force'),
    entry: z.unknown().describe('the job-file entry of that version, as written'),
    updatedAt: z.string(),
    updatedBy: z.string().describe('who wrote that version: the name of the API token, or `cli`'),
  })
  .describe('an API job at its version in force, its entry as written');
export type ApiJobEntryView = z.output<typeof apiJobEntryViewSchema>;

export function apiJobEntryView(record: ApiJobRecord): ApiJobEntryView {
  return {
    name: record.name,
    version: record.version,
    entry: record.entry,
    updatedAt: iso(record.updatedAt) as string,
    updatedBy: record.updatedBy,
  };
}
