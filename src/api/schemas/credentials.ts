// Moving a charger to a new password or a higher security profile (issue 12; CONFORMANCE 26, 31).
import { chargePointIdParams, chargerCommandErrorResponses } from '../charger-commands.js';
import { bearerSecurity, errorResponses, isoTime, nullableIsoTime, pageOf, pageQueryProperties } from './common.js';

const tags = ['security'];
const consent = {
  type: 'object',
  required: ['status', 'accepted'],
  properties: { status: { type: 'string', description: "The charger's word" }, accepted: { type: 'boolean' } },
} as const;

export const changePasswordSchema = {
  tags,
  summary: "Give the charger a new HTTP Basic password (1.6 AuthorizationKey, 2.x BasicAuthPassword)",
  description:
    'Sends the new password (the one given, or 20 random bytes in hex when none is) and settles by the answer: Accepted, only the new one is ' +
    'valid from then on; refused, the old one stays; no answer or RebootRequired, both stay valid until the charger connects with one, which then ' +
    'is the only one. The password is never returned nor kept in the command history; 409 while another change for this charger awaits its answer.',
  security: bearerSecurity,
  params: chargePointIdParams,
  body: {
    type: ['object', 'null'],
    additionalProperties: false,
    properties: {
      password: {
        type: 'string',
        pattern: '^(?:[0-9a-fA-F]{2}){16,20}$',
        description: '16 to 20 bytes as 32 to 40 hex digits (a 1.6 AuthorizationKey; chargers that read it as the bytes it spells are let in too). Left out: generated',
      },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['status', 'adopted', 'pending'],
      properties: {
        status: { type: 'string', description: "The charger's word (Accepted, Rejected, NotSupported, RebootRequired …), or NoAnswer" },
        adopted: { type: 'boolean', description: 'Only the new password is valid now' },
        pending: { type: 'boolean', description: 'Both stay valid until the charger connects with one of them' },
      },
    },
    ...chargerCommandErrorResponses,
  },
} as const;

export const raiseSecurityProfileSchema = {
  tags,
  summary: 'Move the charger to a higher security profile',
  description:
    '1.6: ChangeConfiguration SecurityProfile; 2.x: SetNetworkProfile into a free slot (or `configurationSlot`), then that slot first in ' +
    'NetworkConfigurationPriority. Then, unless `restart` is false, a Reset (1.6 Soft, 2.x OnIdle). The charger is held to the new profile from its ' +
    'first connection at it; until then its current profile still lets it in (pendingSecurityProfile on the charge point). 409 when the profile is ' +
    'not higher, when Voltgate serves no TLS (profile 2 and 3) or checks no client certificates (3), or while another change awaits its answer.',
  security: bearerSecurity,
  params: chargePointIdParams,
  body: {
    type: 'object',
    required: ['securityProfile'],
    additionalProperties: false,
    properties: {
      securityProfile: { type: 'integer', enum: [2, 3] },
      csmsUrl: { type: 'string', pattern: '^wss://', maxLength: 512, description: 'Where the charger connects at the new profile (2.x: required; the station adds its id)' },
      configurationSlot: { type: 'integer', minimum: 0, description: '2.x: the network configuration slot to write; left out: the first free one' },
      restart: { type: 'boolean', default: true, description: 'Send a Reset once the charger accepted, so it reconnects at the new profile' },
    },
  },
  response: {
    200: {
      type: 'object',
      required: ['status', 'accepted', 'restart', 'pendingSecurityProfile'],
      properties: {
        status: { type: 'string', description: "The charger's word on the new profile, or NoAnswer" },
        accepted: { type: 'boolean' },
        restart: { ...consent, type: ['object', 'null'], description: "The Reset's answer; null when none was sent" },
        pendingSecurityProfile: { type: ['integer', 'null'], description: 'Enforced from the first connection at it; null when refused' },
      },
    },
    ...chargerCommandErrorResponses,
  },
} as const;

const chargerCertificateSchema = {
  type: 'object',
  required: ['id', 'chargePointId', 'serialNumber', 'subject', 'issuer', 'notBefore', 'notAfter', 'source', 'recordedAt', 'expiryWarnedAt'],
  properties: {
    id: { type: 'integer' },
    chargePointId: { type: 'string' },
    serialNumber: { type: 'string', description: 'Hex' },
    subject: { type: 'string', description: 'e.g. CN=CP-1, O=Operator' },
    issuer: { type: 'string' },
    notBefore: isoTime,
    notAfter: isoTime,
    source: { type: 'string', enum: ['signed', 'presented'], description: 'signed: Voltgate had it signed for the charger (SignCertificate); presented: the charger showed it at a TLS handshake' },
    recordedAt: isoTime,
    expiryWarnedAt: { ...nullableIsoTime, description: 'When ChargerCertificateExpiring was announced for it (VOLTGATE_CERT_EXPIRY_WARNING_DAYS before its end)' },
  },
} as const;

export const listChargerCertificatesSchema = {
  tags,
  summary: "The certificates a charger holds as far as Voltgate knows, newest first: the ones signed for it and the ones it presented at its TLS handshakes",
  security: bearerSecurity,
  params: chargePointIdParams,
  querystring: { type: 'object', properties: pageQueryProperties, additionalProperties: false },
  response: { 200: pageOf(chargerCertificateSchema, 'A page of certificates'), ...errorResponses(400, 401, 404, 500) },
} as const;
