import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, chmodSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { OutpostError } from '../api/errors';

/**
 * Encrypts secrets at rest. Each blob carries its scheme as a prefix so a store shared by
 * the desktop app (OS keychain via safeStorage) and the CLI (key file) can tell which
 * secrets it can open.
 */
export interface SecretBox {
  readonly scheme: 'safe-storage' | 'aes-256-gcm';
  encrypt(plain: string): string;
  decrypt(blob: string): string;
}

const GCM_PREFIX = 'gcm1:';

/** AES-256-GCM with a random key kept in a 0600 file in the user-data folder (web and CLI modes). */
export function keyFileBox(dataDir: string): SecretBox {
  const keyPath = join(dataDir, 'secret.key');
  if (!existsSync(keyPath)) writeFileSync(keyPath, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  const mode = statSync(keyPath).mode & 0o777;
  if (mode & 0o077) chmodSync(keyPath, 0o600);
  const key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new OutpostError('secrets.bad_key_file', `The key file ${keyPath} is damaged (expected 32 bytes).`, { path: keyPath });
  return {
    scheme: 'aes-256-gcm',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return GCM_PREFIX + Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64');
    },
    decrypt(blob) {
      if (!blob.startsWith(GCM_PREFIX)) throw foreignSecret(blob);
      const raw = Buffer.from(blob.slice(GCM_PREFIX.length), 'base64');
      try {
        const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        d.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
      } catch {
        throw new OutpostError('secrets.undecryptable', 'A stored secret cannot be decrypted with this key file; enter it again.');
      }
    },
  };
}

export function foreignSecret(blob: string): OutpostError {
  const scheme = blob.split(':')[0];
  return new OutpostError('secrets.other_scheme',
    `This secret was saved by ${scheme === 'ss1' ? 'the desktop app (OS keychain)' : 'another key'} and cannot be opened here; enter it again.`,
    { scheme });
}
