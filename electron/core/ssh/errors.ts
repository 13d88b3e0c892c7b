import { OutpostError } from '../api/errors';

export interface ConnectErrorContext {
  address: string;
  port: number;
  user: string;
  /** What the server sent first: an SSH identification, something else, or nothing yet. */
  banner: 'ssh' | 'other' | 'none';
  readyTimeoutMs: number;
}

/**
 * Turns what net and ssh2 throw into errors that say what went wrong and what to check,
 * in the field engineer's words. Codes are stable; the UI translates them.
 */
export function classifyConnectError(err: any, c: ConnectErrorContext): OutpostError {
  if (err instanceof OutpostError) return err;
  const where = `${c.user}@${c.address}:${c.port}`;
  const details = { host: c.address, port: c.port, user: c.user, cause: String(err?.code ?? err?.level ?? err?.message ?? err) };
  const code: string | undefined = err?.code;
  if (err?.level === 'client-authentication') {
    return new OutpostError('ssh.auth_failed', `${where}: the server refused the credentials (wrong password, key or user name).`, details);
  }
  if (code === 'ECONNREFUSED') {
    return new OutpostError('ssh.connection_refused', `${where}: connection refused — nothing listens on port ${c.port}, or a firewall rejects it.`, details);
  }
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
    return new OutpostError('ssh.unreachable', `${where}: the host cannot be reached from this laptop (no route).`, details);
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new OutpostError('ssh.unknown_host', `${c.address}: this name cannot be resolved; use an IP address or fix DNS / the hosts file.`, details);
  }
  if (code === 'ETIMEDOUT' || /timed out/i.test(err?.message ?? '')) {
    if (c.banner === 'other') {
      return new OutpostError('ssh.not_ssh', `${where}: something answers on port ${c.port}, but it is not an SSH server.`, details);
    }
    if (c.banner === 'ssh') {
      return new OutpostError('ssh.login_timeout', `${where}: the SSH server answered but login did not finish within ${Math.round(c.readyTimeoutMs / 1000)} s (slow PAM/DNS on the server, or a password prompt Outpost cannot answer).`, details);
    }
    return new OutpostError('ssh.timeout', `${where}: no answer within ${Math.round(c.readyTimeoutMs / 1000)} s — the host is down, or a firewall drops the traffic.`, details);
  }
  if (c.banner === 'other' || err?.level === 'protocol' || /protocol|ident|banner|not ssh|Bad identification/i.test(err?.message ?? '')) {
    return new OutpostError('ssh.not_ssh', `${where}: something answers on port ${c.port}, but it is not an SSH server.`, details);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /closed|reset|ended/i.test(err?.message ?? '')) {
    return new OutpostError('ssh.connection_lost', `${where}: the server closed the connection during the handshake (sshd limits such as MaxStartups, AllowUsers, or a TCP wrapper).`, details);
  }
  if (/key|parse|passphrase|decrypt/i.test(err?.message ?? '')) {
    return new OutpostError('ssh.bad_private_key', `${where}: the private key cannot be used: ${err.message}`, details);
  }
  return new OutpostError('ssh.failed', `${where}: ${err?.message ?? String(err)}`, details);
}
