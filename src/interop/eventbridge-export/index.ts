/** cronplane jobs as Amazon EventBridge Scheduler schedules. */
export { ecsRunTaskArn, eventBridgeExporter, eventBridgePlaceholders } from './eventbridge-exporter.ts';
export { maxScheduleName, scheduleName } from './schedule-name.ts';
export { schedulerExpressions } from './scheduler-expressions.ts';
export type { SchedulerExpression, SchedulerExpressions } from './scheduler-expressions.ts';
