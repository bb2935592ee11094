// The Local Authorization List as pure data: what changed since the acknowledged version, and how a list is
// cut within SendLocalListMaxLength / LocalAuthListMaxLength (OCPP 1.6 §3.5.2, §5.15).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { capToCapacity, diffLocalList, isEmptyDiff, planDifferential, planFull } from '../../src/domain/local-list/diff.js';
import type { LocalListEntry } from '../../src/domain/ports.js';

const entry = (idTag: string, status: LocalListEntry['idTagInfo']['status'] = 'Accepted', more: Partial<LocalListEntry['idTagInfo']> = {}): LocalListEntry => ({
  idTag,
  idTagInfo: { status, ...more },
});
const noLimits = { sendLocalListMaxLength: null, localAuthListMaxLength: null };
const tags = (n: number) => Array.from({ length: n }, (_, i) => entry(`TAG${String(i).padStart(5, '0')}`));

describe('diffLocalList', () => {
  it('the same list is no change', () => {
    const list = [entry('A'), entry('B', 'Blocked', { expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'G' })];
    assert.ok(isEmptyDiff(diffLocalList(list, list.map((e) => structuredClone(e)))));
  });

  it('CONFORMANCE 46: new and changed entries are upserts with idTagInfo, vanished ones removals without', () => {
    const held = [entry('A'), entry('B'), entry('C', 'Accepted', { expiryDate: '2030-01-01T00:00:00.000Z' })];
    const wanted = [entry('A'), entry('B', 'Blocked'), entry('C', 'Accepted'), entry('D')];
    const diff = diffLocalList(held, wanted);
    assert.deepEqual(diff.upserts, [entry('B', 'Blocked'), entry('C', 'Accepted'), entry('D')]);
    assert.deepEqual(diff.removals, []);
    assert.deepEqual(diffLocalList(wanted, [entry('A')]).removals.map((token) => token.idTag), ['B', 'C', 'D']);
  });

  it('D01.FR.17: a removal names the type the token is held under; a token whose type changed is removed under the old one and sent under the new', () => {
    const typed = (idTag: string, idTokenType: string | null, status: LocalListEntry['idTagInfo']['status'] = 'Accepted'): LocalListEntry => ({ ...entry(idTag, status), idTokenType });
    const held = [typed('PIN-1', 'KeyCode'), typed('CARD', 'ISO15693'), typed('SAME', 'eMAID'), typed('OLD', null)];
    const wanted = [typed('CARD', 'eMAID'), typed('same', 'eMAID')];
    const diff = diffLocalList(held, wanted);
    assert.deepEqual(diff.upserts, [typed('CARD', 'eMAID')]);
    assert.deepEqual(diff.removals, [
      { idTag: 'OLD', idTokenType: null },
      { idTag: 'PIN-1', idTokenType: 'KeyCode' },
      { idTag: 'CARD', idTokenType: 'ISO15693' },
    ]);
    // A type learned for a token held without one is a change too: the station holds it under the default type.
    assert.deepEqual(diffLocalList([typed('X', null)], [typed('X', 'ISO14443')]).upserts, [typed('X', 'ISO14443')]);
  });

  it('OCPP 1.6 §3.9: idTags compare case-insensitively (a respelling is no change)', () => {
    assert.ok(isEmptyDiff(diffLocalList([entry('abcd1234')], [entry('ABCD1234')])));
  });

  it('a parentIdTag or expiryDate that changes is an update', () => {
    assert.equal(diffLocalList([entry('A', 'Accepted', { parentIdTag: 'G1' })], [entry('A', 'Accepted', { parentIdTag: 'G2' })]).upserts.length, 1);
    assert.equal(diffLocalList([entry('A')], [entry('A', 'Accepted', { expiryDate: '2031-01-01T00:00:00.000Z' })]).upserts.length, 1);
  });
});

describe('capToCapacity', () => {
  it('no LocalAuthListMaxLength: everything, unique and ordered by key', () => {
    const { included, omitted } = capToCapacity([entry('b'), entry('A'), entry('B')], noLimits);
    assert.deepEqual(included.map((e) => e.idTag), ['A', 'b']);
    assert.equal(omitted.length, 0);
  });

  it('CONFORMANCE 50: beyond LocalAuthListMaxLength the rest is omitted, the same tags kept each time', () => {
    const all = tags(10_000).reverse();
    const { included, omitted } = capToCapacity(all, { sendLocalListMaxLength: 500, localAuthListMaxLength: 5000 });
    assert.equal(included.length, 5000);
    assert.equal(omitted.length, 5000);
    assert.equal(included[0].idTag, 'TAG00000');
    assert.equal(included[4999].idTag, 'TAG04999');
  });
});

describe('planFull', () => {
  it('CONFORMANCE 47: an empty list is one empty Full', () => {
    assert.deepEqual(planFull([], noLimits), [{ updateType: 'Full', entries: [], upserts: [], removals: [] }]);
  });

  it('CONFORMANCE 50: a Full first, then Differentials, none above SendLocalListMaxLength', () => {
    const plan = planFull(tags(5000), { sendLocalListMaxLength: 500, localAuthListMaxLength: 5000 });
    assert.equal(plan.length, 10);
    assert.equal(plan[0].updateType, 'Full');
    assert.ok(plan.slice(1).every((m) => m.updateType === 'Differential'));
    assert.ok(plan.every((m) => m.entries.length === 500));
    assert.ok(plan.every((m) => m.entries.every((e) => 'idTagInfo' in e)), 'every entry of a Full carries idTagInfo');
    assert.equal(new Set(plan.flatMap((m) => m.entries.map((e) => e.idTag))).size, 5000);
  });

  it('a SendLocalListMaxLength of 0 still moves (one entry a message), never an endless run of empty messages', () => {
    assert.equal(planFull(tags(3), { sendLocalListMaxLength: 0, localAuthListMaxLength: null }).length, 3);
  });
});

describe('planDifferential', () => {
  it('removals first, then upserts, within SendLocalListMaxLength', () => {
    const plan = planDifferential({ upserts: [entry('X'), entry('Y', 'Blocked')], removals: [{ idTag: 'A' }, { idTag: 'B' }, { idTag: 'C' }] }, { sendLocalListMaxLength: 2, localAuthListMaxLength: null });
    assert.deepEqual(
      plan.map((m) => m.entries),
      [[{ idTag: 'A' }, { idTag: 'B' }], [{ idTag: 'C' }, entry('X')], [entry('Y', 'Blocked')]],
    );
    assert.ok(plan.every((m) => m.updateType === 'Differential'));
    assert.deepEqual(plan[1].removals, [{ idTag: 'C' }]);
    assert.deepEqual(plan[1].upserts, [entry('X')]);
  });

  it('no change is one empty Differential', () => {
    assert.deepEqual(planDifferential({ upserts: [], removals: [] }, noLimits), [{ updateType: 'Differential', entries: [], upserts: [], removals: [] }]);
  });
});
