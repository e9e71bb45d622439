/**
 * A throw-away certificate authority and serving certificate for the simulator, in pure Node: ECDSA
 * P-256 keys from node:crypto and a minimal DER encoder for the X.509 v3 structures (RFC 5280). Nothing
 * is written to disk; the caller puts the CA into the kubeconfig it writes.
 *
 * The serving certificate names 127.0.0.1, ::1 and localhost, so kubectl (Go's verifier) and
 * @kubernetes/client-node (OpenSSL) both accept it with the CA as the only trust root.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

// ---- DER encoding ---------------------------------------------------------------------------------

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octets = (b: Buffer): Buffer => tlv(0x04, b);
const bitString = (b: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), b]));
const bool = (v: boolean): Buffer => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const utf8 = (s: string): Buffer => tlv(0x0c, Buffer.from(s, 'utf8'));
const explicit = (n: number, body: Buffer): Buffer => tlv(0xa0 + n, body);

function integer(b: Buffer): Buffer {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  let v = b.subarray(i);
  if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
  return tlv(0x02, v);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out: number[] = [40 * parts[0]! + parts[1]!];
  for (const p of parts.slice(2)) {
    const chunk: number[] = [p & 0x7f];
    for (let v = Math.floor(p / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(d: Date): Buffer {
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  if (d.getUTCFullYear() >= 2050) return tlv(0x18, Buffer.from(`${d.getUTCFullYear()}${body.slice(2)}`)); // GeneralizedTime
  return tlv(0x17, Buffer.from(body)); // UTCTime
}

const name = (cn: string): Buffer => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer): Buffer =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** The SHA-1 of the subjectPublicKey bits: the usual key identifier (RFC 5280 4.2.1.2, method 1). */
function keyId(spki: Buffer): Buffer {
  // SubjectPublicKeyInfo = SEQUENCE { AlgorithmIdentifier, BIT STRING }; for P-256 the BIT STRING is the last 66 bytes.
  return createHash('sha1').update(spki.subarray(spki.length - 65)).digest();
}

interface CertSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  issuerKeyId: Buffer;
  ca: boolean;
  days: number;
}

const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function certificate(s: CertSpec): string {
  const spki = s.publicKey.export({ type: 'spki', format: 'der' });
  const now = Date.now();
  const exts: Buffer[] = [
    extension('2.5.29.19', true, s.ca ? seq(bool(true)) : seq()),
    // keyUsage: CA = digitalSignature|keyCertSign|cRLSign; leaf = digitalSignature.
    extension('2.5.29.15', true, s.ca ? bitString(Buffer.from([0x86]), 1) : bitString(Buffer.from([0x80]), 7)),
    extension('2.5.29.14', false, octets(keyId(spki))),
    extension('2.5.29.35', false, seq(tlv(0x80, s.issuerKeyId))),
  ];
  if (!s.ca) {
    exts.push(extension('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1'))));
    const sans = seq(
      tlv(0x87, Buffer.from([127, 0, 0, 1])),
      tlv(0x87, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
      tlv(0x82, Buffer.from('localhost')),
    );
    exts.push(extension('2.5.29.17', false, sans));
  }
  const serial = randomBytes(16);
  serial[0]! &= 0x7f;
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    ECDSA_SHA256,
    name(s.issuer),
    seq(time(new Date(now - 60_000)), time(new Date(now + s.days * 86_400_000))),
    name(s.subject),
    spki,
    explicit(3, seq(...exts)),
  );
  const signature = sign('sha256', tbs, s.signingKey);
  const der = seq(tbs, ECDSA_SHA256, bitString(signature));
  return pem('CERTIFICATE', der);
}

function pem(label: string, der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

export interface ServingCerts {
  /** PEM of the CA certificate (goes into the kubeconfig as certificate-authority-data). */
  caCert: string;
  /** PEM of the serving certificate and its key (for https.createServer). */
  cert: string;
  key: string;
}

/** A fresh CA and a serving certificate for 127.0.0.1/::1/localhost signed by it. */
export function generateServingCerts(): ServingCerts {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caKeyId = keyId(ca.publicKey.export({ type: 'spki', format: 'der' }));
  const caCert = certificate({ subject: 'kubectl-ds simulator CA', issuer: 'kubectl-ds simulator CA', publicKey: ca.publicKey, signingKey: ca.privateKey, issuerKeyId: caKeyId, ca: true, days: 3650 });
  const leaf = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const cert = certificate({ subject: 'kube-apiserver', issuer: 'kubectl-ds simulator CA', publicKey: leaf.publicKey, signingKey: ca.privateKey, issuerKeyId: caKeyId, ca: false, days: 825 });
  const key = leaf.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  return { caCert, cert, key };
}
