import { OutpostError } from '../core/api/errors';
import type { Host, Site } from '../core/api/types';
import type { CliContext } from './context';
import { usageError } from './context';

/** Finds a site by id or by name (what a person types). */
export async function resolveSite(ctx: CliContext, ref: unknown): Promise<Site> {
  if (typeof ref !== 'string' || !ref) throw usageError('--site <name> is required');
  const sites = await (await ctx.api()).sites.list();
  const s = sites.find((x) => x.id === ref) ?? sites.find((x) => x.name.toLowerCase() === ref.toLowerCase());
  if (!s) throw new OutpostError('sites.not_found', `No site named "${ref}".`, { name: ref });
  return s;
}

/** Finds hosts of a site by id, name, address or user@address[:port]. */
export function matchHosts(hosts: Host[], refs: string[]): Host[] {
  return refs.map((ref) => {
    const h = hosts.find((x) => x.id === ref || x.name === ref || x.address === ref || `${x.user}@${x.address}` === ref || `${x.user}@${x.address}:${x.port}` === ref);
    if (!h) throw new OutpostError('hosts.not_found', `No host "${ref}" in this site.`, { ref });
    return h;
  });
}

/** Parses `user@host[:port]`, with `[v6]:port` for IPv6. */
export function parseHostRef(ref: string): { user?: string; address: string; port?: number } {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+|[^\s]+?)(?::(\d+))?$/.exec(ref);
  if (!m) throw usageError(`Not a host: ${ref} (expected user@host[:port])`);
  return { user: m[1], address: m[2].replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined };
}

/** Passwords come from an environment variable, never from argv (visible in `ps`). */
export function passwordFromEnv(flag: unknown): string | undefined {
  if (typeof flag !== 'string') return undefined;
  const v = process.env[flag];
  if (v === undefined) throw usageError(`--password-env ${flag}: that environment variable is not set`);
  return v;
}
