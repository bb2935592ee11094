// The import rules of ARCHITECTURE.md ("who may import whom"), checked over the source tree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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
