import { z } from 'zod';
import { instanceListViewSchema, jobDeleteViewSchema, jobWriteViewSchema } from '../../control/index.ts';
import { controlOf } from '../http/control-of.ts';
import { authErrors, badInput, errorBodySchema, jobName } from '../http/schemas.ts';
import { defineRoute } from '../http/route.ts';
import type { ApiRoute } from '../http/route.ts';
import { ifMatchOf, staleVersion, writtenAnswer } from './job-write-routes.ts';

/*
 * Instances of a template of the job file (`template: true`): each an API job named
 * `<template>.<key>` whose entry names the template and binds its params.
 */

const instancePath = z.strictObject({
  job: jobName.describe('the template'),
  key: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]{0,98}$/,
      'expected an instance key: lowercase letters, digits, ".", "_", "-"',
    )
    .describe('the instance key'),
});

const instanceBody = z
  .record(z.string(), z.unknown())
  .describe(
    '`{ "params": { ... }, ...settings }`: a value for each param of the template (checked by its rule) and any job setting of the job file but what runs (`enabled`, `description`, `tags`, `timezone`, `retry` ...)',
  );

const notTemplate = {
  404: { description: 'no job of that name', schema: errorBodySchema },
  409: {
    description: 'the job is not a template, or the instance name is a job of the job file',
    schema: errorBodySchema,
  },
} as const;

export const putInstance = defineRoute({
  method: 'PUT',
  url: '/api/jobs/:job/instances/:key',
  operationId: 'putInstance',
  tag: 'jobs',
  summary: 'Create or replace an instance of a template',
  description:
    'Writes the API job `<template>.<key>` with the entry `{ "template": "<template>", ...body }`, as PUT /api/jobs/{name} writes one: ' +
    "the template's `{param}` placeholders (its schedule's too) take the instance's values; problems are located by JSON pointer " +
    '(`/params/frequency_hours: ...`). If-Match: `"<version>"` as for any API job.',
  access: 'admin',
  path: instancePath,
  body: instanceBody,
  responses: {
    200: {
      description: 'the instance replaced, or unchanged; ETag: its version',
      schema: jobWriteViewSchema,
    },
    201: { description: 'the instance created; ETag: its version', schema: jobWriteViewSchema },
    ...badInput,
    ...authErrors,
    ...notTemplate,
    ...staleVersion,
  },
  async handle({ path, body, caller, context, request }) {
    return writtenAnswer(
      await controlOf(context, caller).putInstance(path.job, path.key, body, ifMatchOf(request)),
    );
  },
});

export const listInstances = defineRoute({
  method: 'GET',
  url: '/api/jobs/:job/instances',
  operationId: 'listInstances',
  tag: 'jobs',
  summary: 'The instances of a template',
  description:
    'Each instance in force with its bound params and its state as a job (schedule, next fire, paused, version), by key.',
  access: 'read',
  path: z.strictObject({ job: jobName.describe('the template') }),
  responses: {
    200: { description: 'the instances', schema: instanceListViewSchema },
    ...badInput,
    ...authErrors,
    ...notTemplate,
  },
  async handle({ path, caller, context }) {
    return { status: 200, body: await controlOf(context, caller).listInstances(path.job) };
  },
});

export const deleteInstance = defineRoute({
  method: 'DELETE',
  url: '/api/jobs/:job/instances/:key',
  operationId: 'deleteInstance',
  tag: 'jobs',
  summary: 'Delete an instance of a template',
  description: 'As DELETE /api/jobs/{name}: its schedule stops on every node; its runs stay as history.',
  access: 'admin',
  path: instancePath,
  responses: {
    200: { description: 'the instance deleted', schema: jobDeleteViewSchema },
    ...badInput,
    ...authErrors,
    ...notTemplate,
    ...staleVersion,
  },
  async handle({ path, caller, context, request }) {
    return {
      status: 200,
      body: await controlOf(context, caller).deleteInstance(path.job, path.key, ifMatchOf(request)),
    };
  },
});

export const instanceRoutes: readonly ApiRoute[] = [putInstance, listInstances, deleteInstance];
