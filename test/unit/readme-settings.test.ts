// The README's settings table is the operator's reference: every setting is in it, under its real names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SETTINGS } from '../../src/config/schema.js';

const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');

describe('README settings table', () => {
  it('names every setting with its environment variable and its flag', () => {
    for (const [key, setting] of Object.entries(SETTINGS)) {
      assert.ok(readme.includes(`| \`${setting.env}\` | \`--${setting.flag}\` |`), `README lacks the row of ${key} (${setting.env}, --${setting.flag})`);
    }
  });
});
