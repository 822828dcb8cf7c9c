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

  it('cuts a label to 42 characters, without a trailing hyphen, so that generated names fit a 64-character CN', () => {
    assert.equal(organizationLabel('a'.repeat(80)), 'a'.repeat(42));
    assert.equal(organizationLabel(`${'a'.repeat(41)} b`), 'a'.repeat(41));
    assert.equal(clientDnsName('endentity', 'a'.repeat(80), 'abcd').length, 64);
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
