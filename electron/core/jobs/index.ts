export { JobManager, type JobDefinition, type RunContext } from './manager';
export { quietContext, type JobContext, type Progress, type LogLevel } from './context';
