// Certificates made for a test run with the system's openssl: a CA, server certificates (RSA or ECDSA) for
// 127.0.0.1 and localhost, chargers' client certificates, and the CA's revocations. Nothing is checked in; each run
// makes its own.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KeyKind = 'rsa' | 'ecdsa';

export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface TestPki {
  dir: string;
  caFile: string;
  ca: string;
  /** A server certificate for 127.0.0.1 and localhost. */
  server(name: string, kind: KeyKind): IssuedCertificate;
  /** A charger's client certificate: CN its identity, O the operator. */
  client(name: string, subject: { cn: string; o?: string }, options?: { days?: number; kind?: KeyKind }): IssuedCertificate;
  /** Revokes a certificate of this CA in its database (`openssl ca -revoke`): the next `crl()` lists it. */
  revoke(certFile: string): void;
  /** Writes the CA's CRL as it stands (PEM, valid 30 days) to `crl.pem` in `dir`, and returns that file. */
  crl(): string;
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function newKey(file: string, kind: KeyKind, cwd: string): void {
  if (kind === 'rsa') openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', file], cwd);
  else openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], cwd);
}

/** A CA of its own (`name` tells two apart in a test). */
export function createTestPki(name = 'Voltgate Test CA'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'voltgate-pki-'));
  newKey('ca.key', 'ecdsa', dir);
  openssl(['req', '-x509', '-new', '-key', 'ca.key', '-subj', `/CN=${name}/O=Voltgate Tests`, '-days', '30', '-out', 'ca.pem'], dir);
  let serial = 1;
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  // unique_subject = no: a test may issue, or revoke, two certificates of one charger.
  writeFileSync(join(dir, 'ca.cnf'), '[ca]\ndefault_ca = test\n[test]\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\nunique_subject = no\ndefault_md = sha256\npolicy = any\n[any]\ncommonName = supplied\norganizationName = optional\n');
  const issue = (base: string, kind: KeyKind, subject: string, extensions: string, days: number): IssuedCertificate => {
    newKey(`${base}.key`, kind, dir);
    openssl(['req', '-new', '-key', `${base}.key`, '-subj', subject, '-out', `${base}.csr`], dir);
    writeFileSync(join(dir, `${base}.ext`), extensions);
    if (days > 0) {
      openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', String(serial++), '-days', String(days), '-extfile', `${base}.ext`, '-out', `${base}.pem`], dir);
    } else {
      // An expired certificate: `openssl ca` is the one of this openssl's commands that takes dates in the past.
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-in', `${base}.csr`, '-out', `${base}.pem`, '-notext',
        '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', `${base}.ext`], dir);
    }
    const certFile = join(dir, `${base}.pem`);
    const keyFile = join(dir, `${base}.key`);
    return { certFile, keyFile, cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  };
  return {
    dir,
    caFile: join(dir, 'ca.pem'),
    ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
    server: (base, kind) => issue(base, kind, '/CN=localhost/O=Voltgate Tests', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n', 30),
    client: (base, subject, options = {}) =>
      issue(base, options.kind ?? 'ecdsa', `/CN=${subject.cn}${subject.o ? `/O=${subject.o}` : ''}`, 'extendedKeyUsage=clientAuth\n', options.days ?? 30),
    revoke: (certFile) => openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-revoke', certFile], dir),
    crl: () => {
      openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', 'ca.pem', '-keyfile', 'ca.key', '-gencrl', '-crldays', '30', '-out', 'crl.pem'], dir);
      return join(dir, 'crl.pem');
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
