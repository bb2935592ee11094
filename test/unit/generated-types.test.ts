// The committed generated types must be exactly what the generator makes from the installed schemas,
// so a schema update or a hand edit cannot drift silently.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateV16Source, generateV201Source } from '../../scripts/generate-ocpp-types.js';

const GENERATED = resolve(import.meta.dirname, '../../src/ocpp/schemas/generated');
const hint = 'regenerate with: npx tsx scripts/generate-ocpp-types.ts';

describe('generated OCPP types', () => {
  it('src/ocpp/schemas/generated/v16.ts matches the generator output', async () => {
    assert.equal(readFileSync(resolve(GENERATED, 'v16.ts'), 'utf8'), await generateV16Source(), hint);
  });

  it('src/ocpp/schemas/generated/v201.ts matches the generator output', async () => {
    assert.equal(readFileSync(resolve(GENERATED, 'v201.ts'), 'utf8'), await generateV201Source(), hint);
  });
});
