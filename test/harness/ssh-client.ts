// A minimal ssh2 client for tests that need to look at a test host from the outside.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import { Client } from 'ssh2';
import type { Endpoint } from './blackholes';

export interface SshAuth {
  username: string;
  privateKeyPath?: string;
  password?: string;
  readyTimeoutMs?: number;
}

export interface SshSession {
  client: Client;
  /** What ssh2's hostVerifier saw, as `SHA256:<unpadded base64>` (ssh-keygen -lf style). */
  hostKeyFingerprint: string;
  /** Handshake + auth time in ms. */
  connectMs: number;
  exec(cmd: string, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
  end(): void;
}

export function sha256Fingerprint(key: Buffer): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

export function sshConnect(target: Endpoint, auth: SshAuth): Promise<SshSession> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    // Our own socket with Nagle off: ssh2's default socket makes streamed uploads crawl (FACTS.md).
    const sock = net.connect({ host: target.address, port: target.port });
    sock.setNoDelay(true);
    const client = new Client();
    let hostKeyFingerprint = '';
    client.on('ready', () =>
      resolve({
        client,
        hostKeyFingerprint,
        connectMs: Math.round(performance.now() - t0),
        exec: (cmd, stdin) => sshExec(client, cmd, stdin),
        end: () => client.end(),
      }),
    );
    client.on('error', (err) => {
      sock.destroy();
      reject(err);
    });
    // A peer that closes without an error (e.g. right after its banner) must still fail the connect.
    client.on('close', () => reject(Object.assign(new Error('connection closed before ready'), { level: 'client-closed' })));
    client.connect({
      sock,
      username: auth.username,
      privateKey: auth.privateKeyPath ? fs.readFileSync(auth.privateKeyPath) : undefined,
      password: auth.password,
      readyTimeout: auth.readyTimeoutMs ?? 10_000,
      hostVerifier: (key: Buffer) => {
        hostKeyFingerprint = sha256Fingerprint(key);
        return true;
      },
    });
  });
}

export function sshExec(client: Client, cmd: string, stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    client.exec(cmd, (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      stream.on('data', (d: Buffer) => (stdout += d));
      stream.stderr.on('data', (d: Buffer) => (stderr += d));
      stream.on('exit', (c: number | null) => (code = c));
      stream.on('close', () => resolve({ code, stdout, stderr }));
      stream.end(stdin);
    });
  });
}
