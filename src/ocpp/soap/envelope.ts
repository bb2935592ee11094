// SOAP 1.2 envelopes as OCPP 1.5 and 1.6 use them: a request read into its addressing headers (WS-Addressing
// 1.0 and the charger's `chargeBoxIdentity`) and its one body element, each name checked against its namespace;
// answers and faults written back. XML that declares a DTD is refused before it is parsed (SOAP 1.2 part 1 §5
// forbids one), so no entity is ever expanded and no external resource is fetched.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { escapeXml, type XmlNode } from './codec.js';

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
/** WS-Addressing's "no address": the answer comes back on the same HTTP exchange. */
export const WSA_ANONYMOUS = `${WSA_NS}/anonymous`;

/** A request as read: who sent it, its addressing, and its body element without namespace prefixes. */
export interface SoapRequest {
  chargeBoxIdentity: string;
  messageId: string;
  action: string;
  to: string | null;
  /** Where the charger's own service listens (the address Voltgate calls it at). */
  from: string | null;
  replyTo: string | null;
  /** The body element's local name, e.g. "authorizeRequest". */
  element: string;
  body: XmlNode;
}

/**
 * A SOAP fault: `code` is the SOAP 1.2 fault code, `subcode` a qualified name: an OCPP one (ProtocolError,
 * SecurityError, IdentityMismatch, InternalError, NotSupported …) in the service's namespace, or WS-Addressing's.
 */
export class SoapFault extends Error {
  constructor(
    readonly code: 'Sender' | 'Receiver',
    readonly subcode: { namespace: 'service' | 'wsa'; name: string },
    reason: string,
    /** WS-Addressing: the missing header's qualified name (ProblemHeaderQName). */
    readonly problemHeader: string | null = null,
  ) {
    super(reason);
    this.name = 'SoapFault';
  }
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  // The five predefined entities and character references only: a DTD, the only place others come from, is refused.
  processEntities: true,
  htmlEntities: false,
  // No callback reads a tag's path: not building it as a string for every tag, text and attribute saves a third.
  jPath: false,
});

const protocolError = (reason: string) => new SoapFault('Sender', { namespace: 'service', name: 'ProtocolError' }, reason);

/** An envelope's header values and its body's one element; a SoapFault (ProtocolError) for anything else. */
function parseEnvelope(text: string) {
  if (/<!DOCTYPE/i.test(text)) throw protocolError('a SOAP message must not contain a document type declaration');
  const wellFormed = XMLValidator.validate(text);
  if (wellFormed !== true) throw protocolError(`not well-formed XML: ${wellFormed.err.msg} (line ${wellFormed.err.line})`);
  const root = elementsOf(parser.parse(text), new Map());
  const envelope = root.find((e) => e.local === 'Envelope');
  if (!envelope || envelope.ns !== SOAP12_NS) throw protocolError(`not a SOAP 1.2 envelope (expected {${SOAP12_NS}}Envelope)`);
  const parts = elementsOf(envelope.node, envelope.scope);
  const header = parts.find((e) => e.local === 'Header' && e.ns === SOAP12_NS);
  const body = parts.find((e) => e.local === 'Body' && e.ns === SOAP12_NS);
  if (!body) throw protocolError('the envelope has no Body');
  const headers = header ? elementsOf(header.node, header.scope) : [];
  const contents = elementsOf(body.node, body.scope);
  if (contents.length !== 1) throw protocolError(`the Body must hold exactly one element, it holds ${contents.length}`);
  return {
    message: contents[0],
    /** A header's text; ReplyTo and From carry theirs in an Address element. */
    headerText(ns: string, local: string): string | null {
      const found = headers.find((e) => e.ns === ns && e.local === local);
      if (!found) return null;
      const address = elementsOf(found.node, found.scope).find((e) => e.local === 'Address' && e.ns === WSA_NS);
      return textOf(address ? address.node : found.node);
    },
  };
}

/** The request in `text`, for the service whose namespace is `serviceNs`; a SoapFault says what is wrong. */
export function readRequest(text: string, serviceNs: string): SoapRequest {
  const { message, headerText } = parseEnvelope(text);
  const required = (ns: string, local: string, prefix: string) => {
    const value = headerText(ns, local);
    if (value === null || value === '') {
      throw ns === WSA_NS
        ? new SoapFault('Sender', { namespace: 'wsa', name: 'MessageAddressingHeaderRequired' }, `a required header is missing: ${prefix}:${local}`, `${prefix}:${local}`)
        : protocolError(`a required header is missing: ${local}`);
    }
    return value;
  };
  const action = required(WSA_NS, 'Action', 'wsa');
  const messageId = required(WSA_NS, 'MessageID', 'wsa');
  const chargeBoxIdentity = required(serviceNs, 'chargeBoxIdentity', 'ocpp');
  if (message.ns !== serviceNs) throw protocolError(`{${message.ns ?? ''}}${message.local} is not a message of this service (namespace ${serviceNs})`);
  return {
    chargeBoxIdentity,
    messageId,
    action,
    to: headerText(WSA_NS, 'To'),
    from: headerText(WSA_NS, 'From'),
    replyTo: headerText(WSA_NS, 'ReplyTo'),
    element: message.local,
    body: localNames(message.node, message.scope, serviceNs),
  };
}

/** An answer to one of our requests: its body element, or the SOAP fault the peer sent (code, subcode, reason). */
export type SoapAnswer = { kind: 'message'; element: string; body: XmlNode } | { kind: 'fault'; code: string; subcode: string | null; reason: string };

/** The answer in `text` from the service whose namespace is `serviceNs`; a SoapFault when it is not one. */
export function readAnswer(text: string, serviceNs: string): SoapAnswer {
  const { message } = parseEnvelope(text);
  if (message.ns === SOAP12_NS && message.local === 'Fault') {
    const parts = elementsOf(message.node, message.scope);
    const childrenOf = (element: Element | undefined) => (element ? elementsOf(element.node, element.scope) : []);
    const code = childrenOf(parts.find((e) => e.local === 'Code'));
    const value = (e: Element | undefined) => (e ? (textOf(e.node) ?? '') : '');
    const subcode = childrenOf(code.find((e) => e.local === 'Subcode')).find((e) => e.local === 'Value');
    const reason = childrenOf(parts.find((e) => e.local === 'Reason')).find((e) => e.local === 'Text');
    const local = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);
    return { kind: 'fault', code: local(value(code.find((e) => e.local === 'Value'))), subcode: subcode ? local(value(subcode)) : null, reason: value(reason) };
  }
  if (message.ns !== serviceNs) throw protocolError(`{${message.ns ?? ''}}${message.local} is not a message of the namespace ${serviceNs}`);
  return { kind: 'message', element: message.local, body: localNames(message.node, message.scope, serviceNs) };
}

/** A parsed element: its namespace (null when none is declared for its prefix), local name, content and scope. */
interface Element {
  ns: string | null;
  local: string;
  node: unknown;
  scope: Map<string, string>;
}

/** An element's trimmed text, whether it has attributes or not; null for an element with children only. */
function textOf(node: unknown): string | null {
  if (typeof node === 'string' || typeof node === 'number') return String(node).trim();
  const text = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)['#text'] : undefined;
  return text === undefined ? null : String(text).trim();
}

/** The child elements of a parsed node, each with its namespace resolved in scope (its own xmlns declarations first). */
function elementsOf(node: unknown, inherited: Map<string, string>): Element[] {
  if (typeof node !== 'object' || node === null) return [];
  const elements: Element[] = [];
  for (const [name, value] of Object.entries(node)) {
    if (name.startsWith('@') || name === '#text' || name.startsWith('?')) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      const scope = declarations(item, inherited);
      const colon = name.indexOf(':');
      const prefix = colon < 0 ? '' : name.slice(0, colon);
      elements.push({ ns: scope.get(prefix) ?? null, local: name.slice(colon + 1), node: item, scope });
    }
  }
  return elements;
}

function declarations(node: unknown, inherited: Map<string, string>): Map<string, string> {
  if (typeof node !== 'object' || node === null) return inherited;
  let scope = inherited;
  for (const [name, value] of Object.entries(node)) {
    if (name !== '@xmlns' && !name.startsWith('@xmlns:')) continue;
    if (scope === inherited) scope = new Map(inherited);
    scope.set(name === '@xmlns' ? '' : name.slice('@xmlns:'.length), String(value));
  }
  return scope;
}

/**
 * The message element without prefixes, as the codec reads it. Every element must be in the service's namespace
 * (the WSDLs' schemas are elementFormDefault="qualified"); attributes are unqualified, namespace declarations dropped.
 */
function localNames(node: unknown, scope: Map<string, string>, serviceNs: string): XmlNode {
  if (typeof node !== 'object' || node === null) return node === undefined || node === null ? '' : String(node);
  const out: Record<string, XmlNode | XmlNode[]> = {};
  for (const [name, value] of Object.entries(node)) {
    if (name === '@xmlns' || name.startsWith('@xmlns:')) continue;
    if (name === '#text') out[name] = String(value);
    // An attribute by its local name (a prefixed one loses its prefix).
    else if (name.startsWith('@')) out[`@${name.slice(name.indexOf(':') + 1 || 1)}`] = String(value);
  }
  for (const child of elementsOf(node, scope)) {
    if (child.ns !== serviceNs) throw protocolError(`{${child.ns ?? ''}}${child.local} is not in the namespace ${serviceNs}`);
    const converted = localNames(child.node, child.scope, serviceNs);
    const existing = out[child.local];
    out[child.local] = existing === undefined ? converted : Array.isArray(existing) ? [...existing, converted] : [existing, converted];
  }
  return out;
}

/**
 * One of our requests to a charger's service (CONFORMANCE 80): its chargeBoxIdentity and every WS-Addressing
 * header a strict service expects: Action, MessageID, To, From (our own service) and ReplyTo (this HTTP exchange).
 */
export function requestEnvelope(input: { serviceNs: string; chargeBoxIdentity: string; action: string; messageId: string; to: string; from: string; body: string }): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${SOAP12_NS}" xmlns:wsa="${WSA_NS}" xmlns:ocpp="${escapeXml(input.serviceNs)}">` +
    `<s:Header><ocpp:chargeBoxIdentity s:mustUnderstand="true">${escapeXml(input.chargeBoxIdentity)}</ocpp:chargeBoxIdentity>` +
    `<wsa:Action s:mustUnderstand="true">${escapeXml(input.action)}</wsa:Action>` +
    `<wsa:MessageID>${escapeXml(input.messageId)}</wsa:MessageID>` +
    `<wsa:To s:mustUnderstand="true">${escapeXml(input.to)}</wsa:To>` +
    `<wsa:From><wsa:Address>${escapeXml(input.from)}</wsa:Address></wsa:From>` +
    `<wsa:ReplyTo><wsa:Address>${WSA_ANONYMOUS}</wsa:Address></wsa:ReplyTo></s:Header>` +
    `<s:Body>${input.body}</s:Body></s:Envelope>`
  );
}

/** The answer to `request`: WS-Addressing RelatesTo its MessageID, the WSDL's response action, and `body`. */
export function responseEnvelope(input: { serviceNs: string; action: string; relatesTo: string; messageId: string; body: string }): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${SOAP12_NS}" xmlns:wsa="${WSA_NS}" xmlns:ocpp="${escapeXml(input.serviceNs)}">` +
    `<s:Header><wsa:Action s:mustUnderstand="true">${escapeXml(input.action)}</wsa:Action>` +
    `<wsa:MessageID>${escapeXml(input.messageId)}</wsa:MessageID>` +
    `<wsa:RelatesTo>${escapeXml(input.relatesTo)}</wsa:RelatesTo></s:Header>` +
    `<s:Body>${input.body}</s:Body></s:Envelope>`
  );
}

/** A SOAP 1.2 fault; `relatesTo` when the request's MessageID could be read. */
export function faultEnvelope(fault: SoapFault, serviceNs: string, relatesTo: string | null): string {
  const subcode = fault.subcode.namespace === 'wsa' ? `wsa:${fault.subcode.name}` : `ocpp:${fault.subcode.name}`;
  const detail = fault.problemHeader ? `<s:Detail><wsa:ProblemHeaderQName>${escapeXml(fault.problemHeader)}</wsa:ProblemHeaderQName></s:Detail>` : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<s:Envelope xmlns:s="${SOAP12_NS}" xmlns:wsa="${WSA_NS}" xmlns:ocpp="${escapeXml(serviceNs)}">` +
    `<s:Header><wsa:Action>${WSA_NS}/fault</wsa:Action>${relatesTo ? `<wsa:RelatesTo>${escapeXml(relatesTo)}</wsa:RelatesTo>` : ''}</s:Header>` +
    `<s:Body><s:Fault><s:Code><s:Value>s:${fault.code}</s:Value><s:Subcode><s:Value>${subcode}</s:Value></s:Subcode></s:Code>` +
    `<s:Reason><s:Text xml:lang="en">${escapeXml(fault.message)}</s:Text></s:Reason>${detail}</s:Fault></s:Body></s:Envelope>`
  );
}
