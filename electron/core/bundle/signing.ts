import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { bundleError } from './messages';
import type { KeyPair, SignatureStatus, TrustedKey } from './types';

/**
 * Ed25519 keys and signatures in OpenBSD signify's file formats, so a vendor can sign and an
 * engineer can check a bundle with `signify -V -p vendor.pub -m SHA256SUMS` as well as with
 * Outpost. Each file is a comment line plus one base64 line:
 *   .pub  "Ed" | keynum(8) | public key(32)
 *   .sec  "Ed" | "BK" | kdfrounds(4, BE) | salt(16) | checksum(8) | keynum(8) | seed+public(64)
 *   .sig  "Ed" | keynum(8) | signature(64)
 * The key number tells which key signed, so "untrusted key" and "tampered file list" are told apart.
 * PEM keys (`openssl genpkey -algorithm ed25519`) are accepted too; their key number is the
 * first 8 bytes of sha256 of the raw public key.
 */

const PKALG = Buffer.from('Ed');
const KDFALG = Buffer.from('BK');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface PublicKey {
  keyId: string;
  key: KeyObject;
  name?: string;
}

export interface SecretKey {
  keyId: string;
  key: KeyObject;
}

function base64Line(text: string, what: string): Buffer {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const body = lines[0]?.startsWith('untrusted comment:') ? lines[1] : lines[0];
  if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw bundleError('bundle.key_invalid', { what, reason: 'no base64 key line' });
  return Buffer.from(body, 'base64');
}

function rawPublic(key: KeyObject): Buffer {
  return key.export({ type: 'spki', format: 'der' }).subarray(SPKI_PREFIX.length);
}

function keyIdOf(raw: Buffer): string {
  return createHash('sha256').update(raw).digest().subarray(0, 8).toString('hex');
}

export function parsePublicKey(text: string, name?: string): PublicKey {
  const what = name ?? 'public key';
  if (text.includes('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch (e) {
      throw bundleError('bundle.key_invalid', { what, reason: (e as Error).message });
    }
    if (key.asymmetricKeyType !== 'ed25519') throw bundleError('bundle.key_invalid', { what, reason: `${key.asymmetricKeyType} key` });
    return { keyId: keyIdOf(rawPublic(key)), key, name };
  }
  const b = base64Line(text, what);
  if (b.length !== 42 || !b.subarray(0, 2).equals(PKALG)) throw bundleError('bundle.key_invalid', { what, reason: 'not a signify Ed public key' });
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, b.subarray(10)]), format: 'der', type: 'spki' });
  return { keyId: b.subarray(2, 10).toString('hex'), key, name };
}

export function parseSecretKey(text: string, what = 'secret key'): SecretKey {
  if (text.includes('-----BEGIN')) {
    let key: KeyObject;
    try {
      key = createPrivateKey(text);
    } catch (e) {
      throw bundleError('bundle.key_invalid', { what, reason: (e as Error).message });
    }
    if (key.asymmetricKeyType !== 'ed25519') throw bundleError('bundle.key_invalid', { what, reason: `${key.asymmetricKeyType} key` });
    return { keyId: keyIdOf(rawPublic(createPublicKey(key))), key };
  }
  const b = base64Line(text, what);
  if (b.length !== 104 || !b.subarray(0, 2).equals(PKALG) || !b.subarray(2, 4).equals(KDFALG)) {
    throw bundleError('bundle.key_invalid', { what, reason: 'not a signify Ed secret key' });
  }
  if (b.readUInt32BE(4) !== 0) throw bundleError('bundle.key_encrypted', { what });
  const seckey = b.subarray(40, 104);
  const checksum = createHash('sha512').update(seckey).digest().subarray(0, 8);
  if (!checksum.equals(b.subarray(24, 32))) throw bundleError('bundle.key_invalid', { what, reason: 'checksum mismatch' });
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seckey.subarray(0, 32)]), format: 'der', type: 'pkcs8' });
  return { keyId: b.subarray(32, 40).toString('hex'), key };
}

/** A fresh vendor key pair in signify format (secret key unencrypted: keep it offline). */
export function generateKeyPair(opts: { comment?: string } = {}): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const pub = rawPublic(publicKey);
  const seed = privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(PKCS8_PREFIX.length);
  const keynum = randomBytes(8);
  const seckey = Buffer.concat([seed, pub]);
  const checksum = createHash('sha512').update(seckey).digest().subarray(0, 8);
  const rounds = Buffer.alloc(4); // 0 rounds: not encrypted, as `signify -G -n` writes it
  const sec = Buffer.concat([PKALG, KDFALG, rounds, randomBytes(16), checksum, keynum, seckey]);
  const comment = opts.comment ?? 'outpost vendor key';
  return {
    publicKey: `untrusted comment: ${comment} public key\n${Buffer.concat([PKALG, keynum, pub]).toString('base64')}\n`,
    secretKey: `untrusted comment: ${comment} secret key\n${sec.toString('base64')}\n`,
    keyId: keynum.toString('hex'),
  };
}

/** Signs the bytes of SHA256SUMS; ed25519 is deterministic, so a rebuild signs identically. */
export function signSums(sums: Buffer, secret: SecretKey, comment = 'verify with the vendor public key'): string {
  const sig = sign(null, sums, secret.key);
  return `untrusted comment: ${comment}\n${Buffer.concat([PKALG, Buffer.from(secret.keyId, 'hex'), sig]).toString('base64')}\n`;
}

export function toPublicKeys(keys: TrustedKey[] = []): PublicKey[] {
  return keys.map((k, i) => (typeof k === 'string' ? parsePublicKey(k, `trusted key #${i + 1}`) : parsePublicKey(k.publicKey, k.name)));
}

export interface SignatureCheck {
  status: SignatureStatus;
  keyId?: string;
  keyName?: string;
  reason?: string;
}

/** Checks SHA256SUMS.sig (or its absence) against the trusted keys. */
export function checkSignature(sums: Buffer, sigText: string | undefined, trusted: PublicKey[]): SignatureCheck {
  if (sigText === undefined) return { status: 'unsigned' };
  let b: Buffer;
  try {
    b = base64Line(sigText, 'SHA256SUMS.sig');
  } catch {
    return { status: 'invalid', reason: 'no base64 signature line' };
  }
  if (b.length !== 74 || !b.subarray(0, 2).equals(PKALG)) return { status: 'invalid', reason: 'not a signify Ed signature' };
  const keyId = b.subarray(2, 10).toString('hex');
  const matching = trusted.filter((k) => k.keyId === keyId);
  if (matching.length === 0) return { status: 'untrusted', keyId };
  for (const k of matching) {
    if (verify(null, sums, k.key, b.subarray(10))) return { status: 'valid', keyId, keyName: k.name };
  }
  return { status: 'invalid', keyId, reason: 'signature does not verify' };
}

/** The public half of a secret key, in signify format (for `keygen` re-exports and tests). */
export function publicKeyOf(secret: SecretKey, comment = 'outpost vendor key'): string {
  const pub = rawPublic(createPublicKey(secret.key));
  return `untrusted comment: ${comment} public key\n${Buffer.concat([PKALG, Buffer.from(secret.keyId, 'hex'), pub]).toString('base64')}\n`;
}
