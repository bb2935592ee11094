// The import rules of ARCHITECTURE.md ("who may import whom"), checked over the source tree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { V16_ACTIONS } from '../../src/ocpp/schemas/generated/v16.js';
import { V201_ACTIONS } from '../../src/ocpp/schemas/generated/v201.js';

const SRC = resolve(import.meta.dirname, '../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'ui' ? [] : sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import of a file, as a path under src/, with whether it is type-only. */
function importsOf(file: string): Array<{ target: string; typeOnly: boolean }> {
  const text = readFileSync(file, 'utf8');
  const found: Array<{ target: string; typeOnly: boolean }> = [];
  for (const match of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    found.push({ target: relative(SRC, resolve(dirname(file), match[3])).replace(/\.js$/, '.ts'), typeOnly: Boolean(match[2]) });
  }
  return found;
}

const files = sourceFiles(SRC).map((f) => ({ path: relative(SRC, f), imports: importsOf(f) }));
const under = (path: string, room: string) => path.startsWith(`${room}/`);

describe('ARCHITECTURE.md import rules', () => {
  it('domain/ imports only the domain (its ports are its only window on storage)', () => {
    for (const f of files.filter((f) => under(f.path, 'domain'))) {
      for (const i of f.imports) assert.ok(under(i.target, 'domain'), `${f.path} imports ${i.target}`);
    }
  });
  it('ocpp/ and api/ never import storage/', () => {
    for (const f of files.filter((f) => under(f.path, 'ocpp') || under(f.path, 'api'))) {
      for (const i of f.imports) assert.ok(!under(i.target, 'storage'), `${f.path} imports ${i.target}`);
    }
  });
  it('storage/, config/ and ocpp/schemas/ import nothing of ours but their own room (storage: the port types only)', () => {
    for (const f of files) {
      const room = ['storage', 'config', 'ocpp/schemas'].find((r) => under(f.path, r));
      if (!room) continue;
      for (const i of f.imports) {
        const allowed = under(i.target, room) || (room === 'storage' && i.target === 'domain/ports.ts' && i.typeOnly);
        assert.ok(allowed, `${f.path} imports ${i.target}`);
      }
    }
  });
});

/**
 * The code of a file without its comments and with each string literal's text apart: comments may cite the
 * specifications, code may not speak them.
 */
function codeOf(file: string): { strings: string[]; identifiers: string[] } {
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const strings: string[] = [];
  const code = text.replace(/'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`((?:[^`\\]|\\.)*)`/g, (_m, a, b, c) => {
    strings.push(a ?? b ?? c);
    return ' ';
  });
  return { strings, identifiers: code.match(/[A-Za-z_$][\w$]*/g) ?? [] };
}

const OCPP_ACTIONS = new Set<string>([...V16_ACTIONS, ...V201_ACTIONS]);
/** "Meter values" is the domain's own noun (PRODUCT.md `meterValues`, `transaction.meter_values`). */
const DOMAIN_NOUNS = new Set(['MeterValues']);

describe('ISSUE 10: the domain speaks no OCPP dialect', () => {
  const domainFiles = sourceFiles(join(SRC, 'domain'));

  it('no string in src/domain is an OCPP action (the dialect maps under src/ocpp/ name the messages)', () => {
    for (const file of domainFiles) {
      for (const text of codeOf(file).strings) {
        assert.ok(!OCPP_ACTIONS.has(text), `${relative(SRC, file)} names the OCPP action '${text}'`);
      }
    }
  });

  it('no identifier in src/domain is an OCPP action or message type, or builds on one', () => {
    const multiWord = [...OCPP_ACTIONS].filter((action) => /[a-z][A-Z]/.test(action) && !DOMAIN_NOUNS.has(action));
    for (const file of domainFiles) {
      for (const id of codeOf(file).identifiers) {
        const named = OCPP_ACTIONS.has(id) || /^[A-Z]\w+(Request|Response)$/.test(id) && OCPP_ACTIONS.has(id.replace(/(Request|Response)$/, ''))
          ? id
          : multiWord.find((action) => id.includes(action));
        assert.ok(!named, `${relative(SRC, file)}: identifier ${id} names the OCPP action ${named}`);
      }
    }
  });
});
