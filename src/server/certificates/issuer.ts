// Who signs chargers' certificates, as VOLTGATE_CERTIFICATE_SIGNER says: the local CA in the data dir, or the
// operator's CA at a URL. Either way the request is checked here first (csr.ts), and what comes back is read for
// what Voltgate tracks of it (serial, subject, validity).
import type { CertificateReview, ChargerCertificateIssuer } from '../../domain/security/certificate-signing.js';
import { checkCsr } from './csr.js';
import { loadLocalCa, localCaFiles } from './local-ca.js';
import type { x509 } from './x509.js';
import { certificatesIn } from '../forwarded-certificates.js';
import { presentedCertificate } from '../../ocpp/rpc/server.js';

export interface IssuerSettings {
  certificateSigner: string;
  chargerCertOrganization: string | null;
  chargerCertDays: number;
  dataDir: string;
}

const EXTERNAL_CA_TIMEOUT_MS = 30_000;

/** Null when no signer is set (every request Rejected); throws, naming the setting, when the local CA cannot be read. */
export async function createCertificateIssuer(settings: IssuerSettings, now: () => Date): Promise<ChargerCertificateIssuer | null> {
  if (settings.certificateSigner === 'none') return null;
  const organization = settings.chargerCertOrganization;
  if (!organization) throw new Error('VOLTGATE_CERTIFICATE_SIGNER needs VOLTGATE_CHARGER_CERT_ORGANIZATION: the O a charger\'s certificate request must name');
  let signChain: (csrPem: string, request: x509.Pkcs10CertificateRequest) => Promise<string>;
  if (settings.certificateSigner === 'local') {
    const ca = await loadLocalCa(localCaFiles(settings.dataDir)).catch((error: unknown) => {
      throw new Error(`VOLTGATE_CERTIFICATE_SIGNER=local: ${error instanceof Error ? error.message : String(error)}`);
    });
    signChain = (_pem, request) => ca.sign(request, settings.chargerCertDays, now());
  } else {
    const url = settings.certificateSigner;
    signChain = (pem) => signedByUrl(url, pem);
  }
  return {
    async review(chargePointId: string, csrPem: string): Promise<CertificateReview> {
      const check = await checkCsr(csrPem, { chargePointId, organization });
      if (!check.ok) return check;
      return {
        ok: true,
        issue: async () => {
          const chain = await signChain(csrPem, check.request);
          const [leaf] = certificatesIn(chain);
          if (!leaf) throw new Error('no PEM certificate in the chain');
          // Read as a presented certificate is, so the two records of one certificate are one.
          return { chain, ...presentedCertificate(leaf) };
        },
      };
    },
  };
}

/** The operator's CA: POST the request, get the chain (PEM); anything else is its refusal. */
async function signedByUrl(url: string, csrPem: string): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/pkcs10', accept: 'application/pem-certificate-chain, application/x-pem-file, text/plain' },
    body: csrPem,
    signal: AbortSignal.timeout(EXTERNAL_CA_TIMEOUT_MS),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`the CA at ${url} answered ${response.status}: ${body.slice(0, 200)}`);
  if (!body.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`the CA at ${url} answered no PEM certificate`);
  return body;
}
