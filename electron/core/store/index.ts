export { Store } from './store';
export { AuditLog, verifyChain, defaultActor, type AuditInput } from './audit';
export { SCHEMA_VERSION, emptyStore, type StoreData, type HostRecord, type JobRecord, type KnownHost } from './schema';
