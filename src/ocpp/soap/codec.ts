// An OCPP SOAP message body ↔ the same message as JSON, by the WSDL's shapes (soap/wsdl.ts): text read as the
// schema's types (numbers, booleans), repeated elements as arrays, and the whole checked against the WSDL's types
// with ajv; JSON written back as XML in the sequence order the schema requires. For OCPP 1.6 the JSON is the
// message the JSON dialect carries, field for field.
import type { ValidateFunction } from 'ajv';
import { describe, newAjv } from '../schemas/validators.js';
import { jsonSchemaOf, TEXT, type Shape, type WsdlService } from './wsdl.js';

/** A message element as fast-xml-parser gives it: attributes as "@name", text as "#text", values as text. */
export type XmlNode = string | { [name: string]: XmlNode | XmlNode[] };

export type ReadResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export interface MessageCodec {
  /** The message element's content as checked JSON, or what is wrong with it (naming the field). */
  read(node: XmlNode): ReadResult;
  /** What is wrong with a message about to be written (null when it fits the WSDL). */
  check(value: unknown): string | null;
  /** The message element with its content, in the service's namespace bound to `prefix`. */
  write(value: unknown, prefix: string): string;
}

const compiled = new WeakMap<WsdlService, ReadonlyMap<string, MessageCodec>>();

/** A codec per message element of the service (request and response elements alike), compiled once per process. */
export function messageCodecs(service: WsdlService): ReadonlyMap<string, MessageCodec> {
  const known = compiled.get(service);
  if (known) return known;
  const ajv = newAjv({ coerceTypes: true });
  const codecs = new Map<string, MessageCodec>();
  for (const operation of service.operations.values()) {
    for (const { element, shape } of [operation.request, operation.response]) {
      const validate = ajv.compile(jsonSchemaOf(shape));
      codecs.set(element, {
        read: (node) => check(validate, toJson(shape, node)),
        check: (value) => {
          const result = check(validate, value);
          return result.ok ? null : result.message;
        },
        write: (value, prefix) => toXml(element, shape, value, prefix),
      });
    }
  }
  compiled.set(service, codecs);
  return codecs;
}

function check(validate: ValidateFunction, value: unknown): ReadResult {
  // ajv converts the text to the schema's types in place (coerceTypes) as it checks.
  if (!validate(value)) return { ok: false, message: validate.errors?.[0] ? describe(validate.errors[0]) : 'message does not match the WSDL' };
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * The element's content as JSON, still as text: each child under its name, an array where the schema lets it
 * repeat. Whatever the schema does not name is kept, so that the check refuses it by name.
 */
function toJson(shape: Shape, node: XmlNode): unknown {
  if (shape.kind === 'value') return node;
  // An empty element (`<heartbeatRequest/>`) is an object without content.
  if (typeof node === 'string') return shape.text ? { [TEXT]: node } : node === '' ? {} : node;
  const json: Record<string, unknown> = {};
  const known = new Set<string>();
  for (const attribute of shape.attributes) {
    known.add(`@${attribute.name}`);
    const value = node[`@${attribute.name}`];
    if (value !== undefined) json[attribute.name] = value;
  }
  if (shape.text) {
    known.add(TEXT);
    json[TEXT] = node[TEXT] ?? '';
  }
  for (const child of shape.children) {
    known.add(child.name);
    const value = node[child.name];
    if (value === undefined) continue;
    if (child.repeats) json[child.name] = (Array.isArray(value) ? value : [value]).map((item) => toJson(child.shape, item));
    else json[child.name] = Array.isArray(value) ? value : toJson(child.shape, value);
  }
  for (const [name, value] of Object.entries(node)) if (!known.has(name)) json[name.replace(/^@/, '')] = value;
  return json;
}

function toXml(name: string, shape: Shape, value: unknown, prefix: string): string {
  const tag = `${prefix}:${name}`;
  if (shape.kind === 'value') return `<${tag}>${escapeXml(String(value))}</${tag}>`;
  const object = (value ?? {}) as Record<string, unknown>;
  let attributes = '';
  for (const attribute of shape.attributes) {
    const v = object[attribute.name];
    if (v !== undefined && v !== null) attributes += ` ${attribute.name}="${escapeXml(String(v))}"`;
  }
  let content = shape.text ? escapeXml(String(object[TEXT] ?? '')) : '';
  for (const child of shape.children) {
    const v = object[child.name];
    if (v === undefined || v === null) continue;
    for (const item of child.repeats && Array.isArray(v) ? v : [v]) content += toXml(child.name, child.shape, item, prefix);
  }
  return content === '' ? `<${tag}${attributes}/>` : `<${tag}${attributes}>${content}</${tag}>`;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}
