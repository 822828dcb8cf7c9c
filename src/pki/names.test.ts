import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientDnsName, organizationLabel, randomSuffix } from './names.js';

describe('organizationLabel', () => {
  it('lowercases and joins words with single hyphens', () => {
    assert.equal(organizationLabel('My Co!'), 'my-co');
    assert.equal(organizationLabel('ACME  Corp., Inc.'), 'acme-corp-inc');
    assert.equal(organizationLabel('--edge--'), 'edge');
  });

  it('folds accents and falls back to "org" when nothing usable is left', () => {
    assert.equal(organizationLabel('Café Zürich'), 'cafe-zurich');
    assert.equal(organizationLabel('株式会社'), 'org');
  });

  it('keeps a label within the 63 octets DNS allows, without a trailing hyphen', () => {
    const label = organizationLabel(`${'a'.repeat(62)} b`);
    assert.ok(label.length <= 63);
    assert.match(label, /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/);
  });
});

describe('randomSuffix', () => {
  it('draws four lowercase letters or digits from four random bytes', () => {
    assert.equal(randomSuffix(Uint8Array.of(0, 25, 26, 35)), 'az09');
    assert.equal(randomSuffix(Uint8Array.of(36, 255, 0, 0)), 'ad' + 'aa');
  });
});

describe('clientDnsName', () => {
  it("spells tcld's names", () => {
    assert.equal(clientDnsName('root', 'My Co', 'ab12'), 'client.root.my-co.ab12');
    assert.equal(clientDnsName('endentity', 'My Co', 'ab12'), 'client.endentity.my-co.ab12');
  });
});
