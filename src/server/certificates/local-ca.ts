// The operator's own CA for chargers, kept in the data dir (`voltgate certificates init-ca` makes it): charger
// certificates signed with its key, for the charger's key in its request, valid for clientAuth only.
import { createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subtle, x509 } from './x509.js';

/** Where init-ca writes the CA, under the data dir. */
export const localCaFiles = (dataDir: string) => ({ dir: join(dataDir, 'ca'), cert: join(dataDir, 'ca', 'ca-cert.pem'), key: join(dataDir, 'ca', 'ca-key.pem') });

/** The WebCrypto signing algorithm (and the key's import algorithm) for an RSA or EC private key. */
export function signingAlgorithmOf(key: KeyObject): { sign: RsaHashedImportParams | EcdsaParams; importAs: RsaHashedImportParams | EcKeyImportParams } {
  if (key.asymmetricKeyType === 'rsa') {
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { sign: rsa, importAs: rsa };
  }
  if (key.asymmetricKeyType === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : null;
    if (namedCurve) return { sign: { name: 'ECDSA', hash: namedCurve === 'P-384' ? 'SHA-384' : 'SHA-256' }, importAs: { name: 'ECDSA', namedCurve } };
  }
  throw new Error('the CA key must be RSA, or EC on P-256 or P-384');
}

export async function importSigningKey(key: KeyObject) {
  const algorithm = signingAlgorithmOf(key);
  const der = key.export({ type: 'pkcs8', format: 'der' });
  return { algorithm: algorithm.sign, key: await subtle.importKey('pkcs8', der, algorithm.importAs, false, ['sign']) };
}

export interface LocalCa {
  /** The charger certificate for this checked request, followed by the CA certificate: the chain, PEM. */
  sign(request: x509.Pkcs10CertificateRequest, validDays: number, now: Date): Promise<string>;
}

/** Reads the CA; throws naming the file that is missing or unusable. */
export async function loadLocalCa(files: { cert: string; key: string }): Promise<LocalCa> {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}): create the CA with \`voltgate certificates init-ca\``);
    }
  };
  const caPem = read(files.cert);
  const ca = new x509.X509Certificate(caPem);
  const signer = await importSigningKey(createPrivateKey(read(files.key)));
  const caKeyId = await x509.SubjectKeyIdentifierExtension.create(ca.publicKey);
  return {
    async sign(request, validDays, now) {
      // Backdated a little: a charger whose clock runs behind accepts it at once.
      const notBefore = new Date(now.getTime() - 5 * 60_000);
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: `01${randomBytes(15).toString('hex')}`,
        subject: request.subject,
        issuer: ca.subject,
        notBefore,
        notAfter: new Date(now.getTime() + validDays * 86_400_000),
        publicKey: request.publicKey,
        signingKey: signer.key,
        signingAlgorithm: signer.algorithm,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (request.publicKey.algorithm.name === 'ECDSA' ? x509.KeyUsageFlags.keyAgreement : x509.KeyUsageFlags.keyEncipherment), true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
          await x509.SubjectKeyIdentifierExtension.create(request.publicKey),
          new x509.AuthorityKeyIdentifierExtension(caKeyId.keyId),
        ],
      });
      return `${certificate.toString('pem')}\n${ca.toString('pem')}\n`;
    },
  };
}
