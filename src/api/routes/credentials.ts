// POST /charge-points/{id}/password and /charge-points/{id}/security-profile, GET /charge-points/{id}/certificates
// (see schemas/credentials.ts).
import type { FastifyInstance } from 'fastify';
import { CredentialChangeRefusedError, CredentialChanges } from '../../domain/security/credential-changes.js';
import { requireChargePoint, runChargerCommand } from '../charger-commands.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { changePasswordSchema, listChargerCertificatesSchema, raiseSecurityProfileSchema } from '../schemas/credentials.js';

interface RaiseBody {
  securityProfile: 2 | 3;
  csmsUrl?: string;
  configurationSlot?: number;
  restart: boolean;
}

export async function credentialRoutes(app: FastifyInstance, deps: Pick<ApiDeps, 'chargePoints' | 'gateway' | 'credentialChanges' | 'tls' | 'chargerCertificates'>) {
  const refused = (error: unknown) => {
    if (!(error instanceof CredentialChangeRefusedError)) return error;
    return new ApiError(409, error.reason === 'not-higher' ? 'security_profile_not_higher' : 'credential_change_in_progress', error.message);
  };

  app.post<{ Params: { id: string }; Body: { password?: string } | null }>('/charge-points/:id/password', { schema: changePasswordSchema }, async (request) => {
    const { id } = request.params;
    const password = request.body?.password ?? CredentialChanges.generatePassword();
    return runChargerCommand(deps, id, () => deps.credentialChanges.changePassword(id, password).catch((error: unknown) => Promise.reject(refused(error))));
  });

  app.post<{ Params: { id: string }; Body: RaiseBody }>('/charge-points/:id/security-profile', { schema: raiseSecurityProfileSchema }, async (request) => {
    const { id } = request.params;
    const { securityProfile, csmsUrl, configurationSlot, restart } = request.body;
    // A charger told to come over TLS, or with a certificate, that Voltgate cannot check would be locked out.
    if (!deps.tls.served) throw new ApiError(409, 'tls_not_served', 'Voltgate serves no TLS (VOLTGATE_TLS_CERT, VOLTGATE_TLS_KEY): a charger at profile 2 or 3 could not connect');
    if (securityProfile === 3 && !deps.tls.clientCertificates) {
      throw new ApiError(409, 'client_certificates_not_checked', 'Voltgate checks no client certificates (VOLTGATE_TLS_CA or VOLTGATE_CLIENT_CERT_HEADER): a charger at profile 3 could not connect');
    }
    const protocol = deps.gateway.protocolOf(id);
    // A SOAP charger's requests come as plain HTTPS requests, with no client certificate to check.
    if (securityProfile === 3 && protocol?.endsWith('s')) {
      throw new ApiError(409, 'not_supported_by_charger', `Charge point '${id}' speaks ${protocol}: over SOAP no client certificate can be checked, so profile 3 would lock it out`);
    }
    if (csmsUrl === undefined && protocol?.startsWith('ocpp2')) {
      throw new ApiError(400, 'validation_error', 'body/csmsUrl is required for an OCPP 2.x charger: the wss:// address it connects to at the new profile');
    }
    return runChargerCommand(deps, id, () =>
      deps.credentialChanges
        .raiseSecurityProfile(id, { profile: securityProfile, csmsUrl: csmsUrl ?? null, slot: configurationSlot ?? null, restart })
        .catch((error: unknown) => Promise.reject(refused(error))),
    );
  });

  app.get<{ Params: { id: string }; Querystring: { limit: number; cursor?: string } }>('/charge-points/:id/certificates', { schema: listChargerCertificatesSchema }, async (request) => {
    const { id } = request.params;
    await requireChargePoint(deps, id);
    return deps.chargerCertificates.list(id, { limit: request.query.limit, cursor: request.query.cursor ?? null });
  });
}
