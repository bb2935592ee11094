// `voltgate certificates init-ca`: a CA for the operator's chargers, for operators without a PKI of their own. An
// ECDSA P-256 key (readable by its owner only) and a self-signed CA certificate naming the operator's organisation.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { importSigningKey, localCaFiles } from './local-ca.js';
import { subtle, x509 } from './x509.js';

export interface InitCaOptions {
  dataDir: string;
  organization: string;
  validYears: number;
  /** Replace a CA that exists: every certificate it signed stops being trusted once VOLTGATE_TLS_CA names the new one. */
  force: boolean;
  now: Date;
}

export async function initCa(options: InitCaOptions): Promise<{ cert: string; key: string }> {
  const files = localCaFiles(options.dataDir);
  if (!options.force && (existsSync(files.cert) || existsSync(files.key))) {
    throw new Error(`a CA exists in ${files.dir}: use --force to replace it (chargers holding certificates it signed would need new ones)`);
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const signer = await importSigningKey(privateKey);
  const caPublicKey = await subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify']);
  const name = `CN=${escapeRdn(`${options.organization} Charger CA`)}, O=${escapeRdn(options.organization)}`;
  const notAfter = new Date(options.now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + options.validYears);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    subject: name,
    issuer: name,
    notBefore: options.now,
    notAfter,
    publicKey: caPublicKey,
    signingKey: signer.key,
    signingAlgorithm: signer.algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caPublicKey),
    ],
  });
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  writeFileSync(files.key, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(files.cert, certificate.toString('pem') + '\n');
  return { cert: files.cert, key: files.key };
}

/** An RFC 4514 attribute value: the characters that would end or change it, escaped. */
function escapeRdn(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1').replace(/^([ #])/, '\\$1').replace(/ $/, '\\ ');
}
