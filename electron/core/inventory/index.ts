export { Inventory, toHost, type InventoryDeps } from './inventory';
export { connectionTestJob, testHost, type ConnectionTestParams } from './connection-test';
export { parseCsvInventory, parseYamlInventory } from './import';
export { HostSession, type HostExecOptions } from './host-session';
