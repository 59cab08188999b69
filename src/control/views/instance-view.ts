import { z } from 'zod';
import { jobViewSchema } from './job-view.ts';

export const instanceViewSchema = z
  .object({
    key: z.string().describe('the instance key: the job is named `<template>.<key>`'),
    params: z
      .record(z.string(), z.string())
      .describe('the values bound to the instance: every run of it takes them (secret ones as ***)'),
    job: jobViewSchema.describe('the instance as a job: its schedule, next fire, paused state, version'),
  })
  .describe('one instance of a template of the job file');
export type InstanceView = z.output<typeof instanceViewSchema>;

export const instanceListViewSchema = z
  .object({
    template: z.string(),
    schedules: z.array(z.string()).describe("the template's schedule texts, `{param}` placeholders and all"),
    instances: z.array(instanceViewSchema).describe('by key'),
  })
  .describe('the instances of a template in force on the node that answers');
export type InstanceListView = z.output<typeof instanceListViewSchema>;
