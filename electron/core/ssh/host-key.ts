import { createHash } from 'node:crypto';

/** `SHA256:<unpadded base64>` of the raw public key blob, the text `ssh-keygen -lf` prints. */
export function fingerprintOf(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type is the first length-prefixed string of the SSH wire-format blob. */
export function algorithmOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const len = keyBlob.readUInt32BE(0);
  return len > 0 && len < 64 && keyBlob.length >= 4 + len ? keyBlob.subarray(4, 4 + len).toString('ascii') : 'unknown';
}

export interface OfferedKey {
  algorithm: string;
  fingerprint: string;
}

export function describeKey(keyBlob: Buffer): OfferedKey {
  return { algorithm: algorithmOf(keyBlob), fingerprint: fingerprintOf(keyBlob) };
}
