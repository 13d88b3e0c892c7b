import type { Command } from '../context';

/** outpost bundle keygen|build|verify|inspect|diff|list */
export const bundleCommands: Command[] = [];
