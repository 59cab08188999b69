import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  apiJobEntryViewSchema,
  jobBatchViewSchema,
  jobDeleteViewSchema,
  jobVersionViewSchema,
  jobWriteViewSchema,
  maxJobsPerBatch,
} from '../../control/index.ts';
import type { JobWriteView, WriteOptions } from '../../control/index.ts';
import { ApiError } from '../http/api-error.ts';
import { controlOf } from '../http/control-of.ts';
import { authErrors, badInput, errorBodySchema, jobName, jobPath } from '../http/schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';

/*
 * Jobs defined through the API: create or replace (PUT), patch, delete, bulk PUT, and their
 * versions. A job's version is its ETag; If-Match makes a write a compare-and-set on it.
 */

const entrySchema = z
  .record(z.string(), z.unknown())
  .describe(
    'a job-file entry (the mapping under `jobs.<name>` of the job file), validated as the job file is',
  );

/** The answer of a write whose If-Match named an older version. */
export const staleVersion = {
  412: {
    description: 'If-Match named a version that is no longer the one in force',
    schema: errorBodySchema,
  },
} as const;

const writeErrors = {
  ...badInput,
  ...authErrors,
  409: {
    description: 'the job is a job of the job file (read-only through the API)',
    schema: errorBodySchema,
  },
  ...staleVersion,
} as const;

/** The version an If-Match header names (`"3"`, `W/"3"`, `3`); `*` and no header name none. */
export function ifMatchOf(request: FastifyRequest): WriteOptions {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return {};
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (match === null) {
    throw new ApiError(
      400,
      'api.invalid',
      `header.if-match: expected a job version as an ETag ("3"), found ${JSON.stringify(header)}`,
      {
        path: 'header.if-match',
      },
    );
  }
  return { ifMatch: Number(match[1]) };
}

/** The ETag of a job's version. */
export function etagOf(version: number | null): Readonly<Record<string, string>> {
  return version === null ? {} : { etag: `"${version}"` };
}

/** A job written: 201 when it was created, else 200, its version as the ETag. */
export function writtenAnswer(written: JobWriteView): {
  status: 200 | 201;
  body: JobWriteView;
  headers: Readonly<Record<string, string>>;
} {
  return {
    status: written.change === 'created' ? 201 : 200,
    body: written,
    headers: etagOf(written.job.version),
  };
}

export const putJob = defineRoute({
  method: 'PUT',
  url: '/api/jobs/:job',
  operationId: 'putJob',
  tag: 'jobs',
  summary: 'Create or replace a job defined through the API',
  description:
    'The body is a job-file entry, validated exactly as the job file validates one (its defaults, channels and time zone apply); ' +
    'problems are located by JSON pointer (`/schedule: ...`). The same entry again answers `unchanged` (no new version). ' +
    'If-Match: `"<version>"` writes only while that is the version in force (`"0"`: only while no job has the name). ' +
    'The scheduler of every node fires the job within a second.',
  access: 'admin',
  path: jobPath,
  body: entrySchema,
  responses: {
    200: { description: 'the job replaced, or unchanged; ETag: its version', schema: jobWriteViewSchema },
    201: { description: 'the job created; ETag: its version', schema: jobWriteViewSchema },
    ...writeErrors,
  },
  async handle({ path, body, caller, context, request }) {
    return writtenAnswer(await controlOf(context, caller).putJob(path.job, body, ifMatchOf(request)));
  },
});

export const patchJob = defineRoute({
  method: 'PATCH',
  url: '/api/jobs/:job',
  operationId: 'patchJob',
  tag: 'jobs',
  summary: "Change part of an API job's entry (JSON merge patch, RFC 7396)",
  description:
    'The patch is merged onto the stored entry (null removes a key) and the result written as PUT writes it. ' +
    'Without If-Match it applies to the version it read (read again if another writer came first).',
  access: 'admin',
  path: jobPath,
  body: entrySchema,
  responses: {
    200: { description: 'the job after the patch; ETag: its version', schema: jobWriteViewSchema },
    404: { description: 'no job of that name was defined through the API', schema: errorBodySchema },
    ...writeErrors,
  },
  async handle({ path, body, caller, context, request }) {
    const written = await controlOf(context, caller).patchJob(path.job, body, ifMatchOf(request));
    return { status: 200, body: written, headers: etagOf(written.job.version) };
  },
});

export const deleteJob = defineRoute({
  method: 'DELETE',
  url: '/api/jobs/:job',
  operationId: 'deleteJob',
  tag: 'jobs',
  summary: 'Delete a job defined through the API',
  description:
    'Its schedule stops on every node; its runs stay as history. The delete is a version of its own.',
  access: 'admin',
  path: jobPath,
  responses: {
    200: { description: 'the job deleted', schema: jobDeleteViewSchema },
    404: { description: 'no job of that name was defined through the API', schema: errorBodySchema },
    ...writeErrors,
  },
  async handle({ path, caller, context, request }) {
    return { status: 200, body: await controlOf(context, caller).deleteJob(path.job, ifMatchOf(request)) };
  },
});

export const putJobs = defineRoute({
  method: 'PUT',
  url: '/api/jobs',
  operationId: 'putJobs',
  tag: 'jobs',
  summary: 'Create or replace many API jobs in one transaction',
  description: `Up to ${maxJobsPerBatch} jobs, each validated as PUT /api/jobs/{name} validates one: all are written, or none (the first problem is answered, located as \`body[<index>].entry/...\`).`,
  access: 'admin',
  body: z
    .array(z.strictObject({ name: jobName, entry: entrySchema }))
    .min(1)
    .max(maxJobsPerBatch),
  responses: {
    200: { description: 'what each job became', schema: jobBatchViewSchema },
    ...writeErrors,
  },
  async handle({ body, caller, context }) {
    return { status: 200, body: await controlOf(context, caller).putJobs(body) };
  },
});

export const listJobVersions = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/versions',
  operationId: 'listJobVersions',
  tag: 'jobs',
  summary: 'Every version of an API job, newest first',
  description: 'Each with its entry (null for a delete), when, and who wrote it (token name and id).',
  access: 'read',
  path: jobPath,
  responses: {
    200: { description: 'the versions', schema: z.object({ versions: z.array(jobVersionViewSchema) }) },
    404: { description: 'no job of that name', schema: errorBodySchema },
    ...badInput,
    ...authErrors,
  },
  async handle({ path, caller, context }) {
    return { status: 200, body: { versions: await controlOf(context, caller).listJobVersions(path.job) } };
  },
});

export const listApiJobEntries = defineRoute({
  method: 'GET',
  url: '/api/job-entries',
  operationId: 'listApiJobEntries',
  tag: 'jobs',
  summary: 'Every API job at its version in force, its entry as written',
  description:
    'All in one answer, by name: every job defined through the API that the token may see and that is not deleted, whether or not it resolves against this node’s job file (`cronplane export --server` resolves them against its own).',
  access: 'read',
  responses: {
    200: { description: 'the entries', schema: z.object({ entries: z.array(apiJobEntryViewSchema) }) },
    ...authErrors,
  },
  async handle({ caller, context }) {
    return { status: 200, body: { entries: await controlOf(context, caller).listApiJobEntries() } };
  },
});

export const jobWriteRoutes: readonly ApiRoute[] = [
  putJob,
  patchJob,
  deleteJob,
  putJobs,
  listJobVersions,
  listApiJobEntries,
];
