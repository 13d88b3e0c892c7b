export { JobManager, type JobDefinition, type RunContext } from './manager';
export { quietContext, jobAbortController, type JobContext, type Progress, type LogLevel } from './context';
