export { readConfig } from './read-config.ts';
export type { ReadConfigOptions } from './read-config.ts';
export { loadJobFile, loadJobFileText } from './load-job-file.ts';
export type { LoadedJobFile, LoadOptions } from './load-job-file.ts';
export { resolveConfig } from './resolve-config.ts';
export { checkAfterApiJobs } from './check-after-api-jobs.ts';
export { resolveJobEntry, JobEntryError } from './resolve-job-entry.ts';
export type { EntryProblem } from './resolve-job-entry.ts';
export type { JobsBeyond } from './resolve-config.ts';
export { builtinPlaceholders } from './resolve-job.ts';
export {
  defaultAlertOutput,
  defaultCaptureLimit,
  defaultGroupWindowMs,
  jobDefaults,
} from './job-defaults.ts';
export { parseAlertTemplate, renderAlertTemplate } from './alert-template.ts';
export type { TemplatePart } from './alert-template.ts';
export { findConfigFile, defaultConfigNames } from './find-config-file.ts';
export { ConfigError, formatProblem } from './config-problems.ts';
export type { ConfigProblem } from './config-problems.ts';
export { Secret, reveal } from './secret.ts';
export type { MaybeSecret } from './secret.ts';
export { SecretMask, MaskStream, minSecretLength } from './secret-mask.ts';
export { collectSecrets, configSecrets, channelEntrySecrets, urlForms } from './collect-secrets.ts';
export { configMask } from './config-mask.ts';
export { jobFileHash } from './job-file-hash.ts';
export { resolvedJobJson, unsetJobSettings } from './resolved-job-json.ts';
export { jobFileJsonSchema } from './job-file-json-schema.ts';
export { parseEnvFile } from './parse-env-file.ts';
export { substituteEnv } from './substitute-env.ts';
export { parseSize, parseCpuQuota } from './parse-size.ts';
export {
  jobFileSchemaFor,
  jobSchemaFor,
  channelSchemaFor,
  commandLineSchema,
  secretSchema,
  quietHoursSchema,
  severities,
} from './job-file-schema.ts';
export { nameSchema, scheduleSyntaxes } from './job-file-schema.ts';
export type * from './job-file-kinds.ts';
export type * from './job-file-schema.ts';
export type * from './resolved-config.ts';
export { splitCommand } from './split-command.ts';
export { checkCommandPlaceholders, checkBodyPlaceholders } from './check-placeholder-contexts.ts';
export { checkParamValue } from './check-param-value.ts';
export { paramDefaults } from './resolve-params.ts';
export { ParamType, defaultParamPattern, describeParamRule, maxParamLength } from './param-spec.ts';
export type * from './param-spec.ts';
export { calendarCache, compileJobCalendar, nextFires, upcomingFires } from './job-calendar.ts';
export type { CalendarCache, JobCalendar, JobFire } from './job-calendar.ts';
