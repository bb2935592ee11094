// A charger's certificate signing request checked before anything is signed (CONFORMANCE 32; A02.FR.04, OCPP 1.6
// security whitepaper 3.6): well-formed PEM, its own signature valid, a key strong enough (RSA of 2048 bits or
// more, or ECDSA on P-256 or P-384, the curves the OCPP security specifications use), and a subject naming this
// charger (CN: its id) and the operator (O).
import { x509 } from './x509.js';

export interface CsrExpectations {
  chargePointId: string;
  organization: string;
}

export type CsrCheck = { ok: true; request: x509.Pkcs10CertificateRequest } | { ok: false; problem: string };

const MIN_RSA_BITS = 2048;
const CURVES = new Set(['P-256', 'P-384']);

export async function checkCsr(pem: string, expected: CsrExpectations): Promise<CsrCheck> {
  let request: x509.Pkcs10CertificateRequest;
  try {
    request = new x509.Pkcs10CertificateRequest(pem.trim());
  } catch {
    return { ok: false, problem: 'not a PEM certificate signing request (PKCS#10)' };
  }
  try {
    if (!(await request.verify())) return { ok: false, problem: 'the request is not signed by its own key' };
  } catch (error) {
    return { ok: false, problem: `the request's signature cannot be checked: ${error instanceof Error ? error.message : String(error)}` };
  }
  const problem = keyProblem(request.publicKey.algorithm) ?? subjectProblem(request, expected);
  return problem ? { ok: false, problem } : { ok: true, request };
}

function keyProblem(algorithm: Algorithm): string | null {
  if (algorithm.name === 'RSASSA-PKCS1-v1_5' || algorithm.name === 'RSA-PSS' || algorithm.name === 'RSA-OAEP') {
    const bits = (algorithm as RsaHashedKeyAlgorithm).modulusLength;
    return bits >= MIN_RSA_BITS ? null : `an RSA key of ${bits} bits: at least ${MIN_RSA_BITS} are needed`;
  }
  if (algorithm.name === 'ECDSA' || algorithm.name === 'ECDH') {
    const curve = (algorithm as EcKeyAlgorithm).namedCurve;
    return CURVES.has(curve) ? null : `an EC key on ${curve}: P-256 or P-384 are needed`;
  }
  return `a ${algorithm.name} key: RSA (2048 bits or more) or ECDSA (P-256, P-384) are needed`;
}

function subjectProblem(request: x509.Pkcs10CertificateRequest, expected: CsrExpectations): string | null {
  const name = new x509.Name(request.subject);
  const cn = name.getField('CN');
  const o = name.getField('O');
  if (cn.length !== 1 || cn[0] !== expected.chargePointId) return `the subject's CN is ${JSON.stringify(cn.join(', ') || null)}, not the charger's id ${JSON.stringify(expected.chargePointId)}`;
  if (o.length !== 1 || o[0] !== expected.organization) return `the subject's O is ${JSON.stringify(o.join(', ') || null)}, not the operator's ${JSON.stringify(expected.organization)}`;
  return null;
}
