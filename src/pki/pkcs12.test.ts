import assert from 'node:assert/strict';
import { X509Certificate, createHash, createHmac, createPrivateKey } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { ContentInfo } from '@peculiar/asn1-cms';
import { AuthenticatedSafe, CertBag, PFX, SafeContents, id_certBag, id_pkcs8ShroudedKeyBag } from '@peculiar/asn1-pfx';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { BmpString, fromBER } from 'asn1js';
import { generateCertificateAuthority, type GeneratedCertificate } from './ca.js';
import { generateEndEntityCertificate } from './leaf.js';
import { PKCS12_KDF_PURPOSE, bmpPassword, pkcs12Kdf } from './pkcs12-kdf.js';
import { buildPkcs12 } from './pkcs12.js';
import { DAY_MS, FIXED_NOW, countingRandom } from './test-support.js';

/** The bytes inside a ContentInfo of type data. */
function dataOf(info: ContentInfo): Buffer {
  return Buffer.from(AsnConvert.parse(info.content, OctetString).buffer);
}

describe('buildPkcs12', () => {
  let ca: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  let pfx: PFX;
  const der = (pem: string) => new X509Certificate(pem).raw;
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
    leaf = await generateEndEntityCertificate({ ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem }, organization: 'myco', now: FIXED_NOW });
    const p12 = buildPkcs12({ certificate: der(leaf.certificatePem), privateKey: leaf.privateKeyPem, chain: [der(ca.certificatePem)], password: 'hunter2', friendlyName: 'worker', random: countingRandom() });
    pfx = AsnConvert.parse(p12, PFX);
  });

  it('holds a MAC that an HMAC-SHA256 keyed by the RFC 7292 KDF of the password verifies', () => {
    const { macData } = pfx;
    const salt = Buffer.from(macData.macSalt.buffer);
    assert.equal(macData.mac.digestAlgorithm.algorithm, '2.16.840.1.101.3.4.2.1');
    assert.equal(macData.iterations, 2048);
    assert.equal(salt.toString('hex'), '0102030405060708090a0b0c0d0e0f10', 'the salt comes from the injected random source');
    const key = pkcs12Kdf({ hash: 'sha256', password: bmpPassword('hunter2'), salt, iterations: 2048, purpose: PKCS12_KDF_PURPOSE.mac, length: 32 });
    const expected = createHmac('sha256', key).update(dataOf(pfx.authSafe)).digest();
    assert.deepEqual(Buffer.from(macData.mac.digest.buffer), expected);
  });

  it('holds the leaf and then the CA in certificate bags, and the key encrypted with the password', () => {
    const [certificates, keys] = AsnConvert.parse(dataOf(pfx.authSafe), AuthenticatedSafe).map((info) => AsnConvert.parse(dataOf(info), SafeContents));
    assert.deepEqual([...certificates!].map((bag) => bag.bagId), [id_certBag, id_certBag]);
    const held = [...certificates!].map((bag) => Buffer.from(AsnConvert.parse(AsnConvert.parse(bag.bagValue, CertBag).certValue, OctetString).buffer));
    assert.deepEqual(held, [der(leaf.certificatePem), der(ca.certificatePem)]);
    assert.equal(keys!.length, 1);
    assert.equal(keys![0]!.bagId, id_pkcs8ShroudedKeyBag);
    const key = createPrivateKey({ key: Buffer.from(keys![0]!.bagValue), format: 'der', type: 'pkcs8', passphrase: 'hunter2' });
    assert.ok(new X509Certificate(leaf.certificatePem).checkPrivateKey(key));
    assert.throws(() => createPrivateKey({ key: Buffer.from(keys![0]!.bagValue), format: 'der', type: 'pkcs8', passphrase: 'wrong' }));
  });

  it('names the key and the leaf alike, with the leaf fingerprint as their local key ID, and leaves the CA unnamed', () => {
    const [certificates, keys] = AsnConvert.parse(dataOf(pfx.authSafe), AuthenticatedSafe).map((info) => AsnConvert.parse(dataOf(info), SafeContents));
    const attributesOf = (bag: { bagAttributes?: Array<{ attrId: string; attrValues: ArrayBuffer[] }> }) =>
      Object.fromEntries((bag.bagAttributes ?? []).map((a) => [a.attrId, Buffer.from(a.attrValues[0]!).toString('hex')]));
    const fingerprint = createHash('sha1').update(der(leaf.certificatePem)).digest();
    const expected = {
      '1.2.840.113549.1.9.20': Buffer.from(new BmpString({ value: 'worker' }).toBER()).toString('hex'),
      '1.2.840.113549.1.9.21': Buffer.from(AsnConvert.serialize(new OctetString(fingerprint))).toString('hex'),
    };
    assert.deepEqual(attributesOf(certificates![0]!), expected);
    assert.deepEqual(attributesOf(keys![0]!), expected);
    assert.deepEqual(attributesOf(certificates![1]!), {});
    assert.equal((fromBER(Buffer.from(certificates![0]!.bagAttributes![0]!.attrValues[0]!)).result as BmpString).valueBlock.value, 'worker');
  });

  it('refuses an empty password', () => {
    assert.throws(() => buildPkcs12({ certificate: der(leaf.certificatePem), privateKey: leaf.privateKeyPem, password: '', friendlyName: 'x' }), RangeError);
  });
});
