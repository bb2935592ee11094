// SOAP 1.2 envelopes as OCPP 1.5 and 1.6 use them: a request read into its addressing headers (WS-Addressing
// 1.0 and the charger's `chargeBoxIdentity`) and its one body element, each name checked against its namespace;
// answers and faults written back. XML that declares a DTD is refused before it is parsed (SOAP 1.2 part 1 §5
// forbids one), so no entity is ever expanded and no external resource is fetched.
import { SaxesParser } from 'saxes';
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

const protocolError = (reason: string) => new SoapFault('Sender', { namespace: 'service', name: 'ProtocolError' }, reason);

/** An element as read: its namespace ('' when none), local name, attributes by local name, children and text. */
interface Element {
  ns: string;
  local: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

/**
 * The document's root element, in one strict pass: saxes refuses XML that is not well-formed and resolves every
 * prefix in scope as it reads (an unbound prefix is an error), so the tree holds namespaces, not prefixes.
 */
function parseXml(text: string): Element {
  const parser = new SaxesParser({ xmlns: true, position: false });
  const top: Element = { ns: '', local: '', attributes: {}, children: [], text: '' };
  const open: Element[] = [top];
  let current = top;
  parser.on('doctype', () => {
    throw protocolError('a SOAP message must not contain a document type declaration');
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const name in tag.attributes) {
      const attribute = tag.attributes[name];
      if (attribute.prefix !== 'xmlns' && name !== 'xmlns') attributes[attribute.local] = attribute.value;
    }
    const element: Element = { ns: tag.uri, local: tag.local, attributes, children: [], text: '' };
    current.children.push(element);
    open.push(element);
    current = element;
  });
  parser.on('text', (t) => (current.text += t));
  parser.on('cdata', (t) => (current.text += t));
  parser.on('closetag', () => {
    open.pop();
    current = open[open.length - 1];
  });
  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof SoapFault) throw error;
    throw protocolError(`not well-formed XML: ${(error as Error).message}`);
  }
  return top.children[0];
}

const child = (element: Element | undefined, ns: string, local: string) => element?.children.find((e) => e.ns === ns && e.local === local);

/** An envelope's header values and its body's one element; a SoapFault (ProtocolError) for anything else. */
function parseEnvelope(text: string) {
  // Refused before parsing too: nothing in a DTD is ever read (saxes would refuse its entities later anyway).
  if (/<!DOCTYPE/i.test(text)) throw protocolError('a SOAP message must not contain a document type declaration');
  const envelope = parseXml(text);
  if (envelope.local !== 'Envelope' || envelope.ns !== SOAP12_NS) throw protocolError(`not a SOAP 1.2 envelope (expected {${SOAP12_NS}}Envelope)`);
  const header = child(envelope, SOAP12_NS, 'Header');
  const body = child(envelope, SOAP12_NS, 'Body');
  if (!body) throw protocolError('the envelope has no Body');
  if (body.children.length !== 1) throw protocolError(`the Body must hold exactly one element, it holds ${body.children.length}`);
  return {
    message: body.children[0],
    /** A header's text; ReplyTo and From carry theirs in an Address element. */
    headerText(ns: string, local: string): string | null {
      const found = child(header, ns, local);
      if (!found) return null;
      return (child(found, WSA_NS, 'Address') ?? found).text.trim();
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
  if (message.ns !== serviceNs) throw protocolError(`{${message.ns}}${message.local} is not a message of this service (namespace ${serviceNs})`);
  return {
    chargeBoxIdentity,
    messageId,
    action,
    to: headerText(WSA_NS, 'To'),
    from: headerText(WSA_NS, 'From'),
    replyTo: headerText(WSA_NS, 'ReplyTo'),
    element: message.local,
    body: localNames(message, serviceNs),
  };
}

/** An answer to one of our requests: its body element, or the SOAP fault the peer sent (code, subcode, reason). */
export type SoapAnswer = { kind: 'message'; element: string; body: XmlNode } | { kind: 'fault'; code: string; subcode: string | null; reason: string };

/** The answer in `text` from the service whose namespace is `serviceNs`; a SoapFault when it is not one. */
export function readAnswer(text: string, serviceNs: string): SoapAnswer {
  const { message } = parseEnvelope(text);
  if (message.ns === SOAP12_NS && message.local === 'Fault') {
    const code = child(message, SOAP12_NS, 'Code');
    const subcode = child(child(code, SOAP12_NS, 'Subcode'), SOAP12_NS, 'Value');
    const reason = child(child(message, SOAP12_NS, 'Reason'), SOAP12_NS, 'Text');
    // Fault codes are qualified names: their local part is what tells one fault from another.
    const local = (e: Element | undefined) => (e ? e.text.trim().slice(e.text.trim().indexOf(':') + 1) : '');
    return { kind: 'fault', code: local(child(code, SOAP12_NS, 'Value')), subcode: subcode ? local(subcode) : null, reason: reason ? reason.text.trim() : '' };
  }
  if (message.ns !== serviceNs) throw protocolError(`{${message.ns}}${message.local} is not a message of the namespace ${serviceNs}`);
  return { kind: 'message', element: message.local, body: localNames(message, serviceNs) };
}

/**
 * The message element without prefixes, as the codec reads it: a child under its local name (an array when it
 * repeats), attributes as "@name", text as "#text", and an element with neither attributes nor children as its
 * text. Every element must be in the service's namespace (the WSDLs' schemas are elementFormDefault="qualified").
 */
function localNames(element: Element, serviceNs: string): XmlNode {
  const text = element.text.trim();
  let hasAttributes = false;
  for (const _ in element.attributes) {
    hasAttributes = true;
    break;
  }
  if (!hasAttributes && element.children.length === 0) return text;
  const out: Record<string, XmlNode | XmlNode[]> = {};
  for (const name in element.attributes) out[`@${name}`] = element.attributes[name];
  if (text !== '') out['#text'] = text;
  for (const item of element.children) {
    if (item.ns !== serviceNs) throw protocolError(`{${item.ns}}${item.local} is not in the namespace ${serviceNs}`);
    const converted = localNames(item, serviceNs);
    const existing = out[item.local];
    if (existing === undefined) out[item.local] = converted;
    else if (Array.isArray(existing)) existing.push(converted);
    else out[item.local] = [existing, converted];
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
