import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { Integer, NumericString } from 'asn1js';
import { generateCertificateAuthority } from './ca.js';
import { escapeValue, formatName } from './format-name.js';
import { DAY_MS, FIXED_NOW, testName } from './test-support.js';
import { parseCertificateStructure } from './x509.js';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const OU = '2.5.4.11';
const EMAIL = '1.2.840.113549.1.9.1';
const DC = '0.9.2342.19200300.100.1.25';

/** The name as a certificate parser sees it: serialized to DER and read back. */
function reparsed(name: Name): Name {
  return AsnConvert.parse(AsnConvert.serialize(name), Name);
}

function atv(type: string, value: ConstructorParameters<typeof AttributeValue>[0]): AttributeTypeAndValue {
  return new AttributeTypeAndValue({ type, value: new AttributeValue(value) });
}

describe('formatName', () => {
  it("prints a tcld CA's subject as tcld does, most specific attribute first", () => {
    assert.equal(formatName(reparsed(testName([O, 'myco'], [CN, 'client.root.myco.ab12']))), 'CN=client.root.myco.ab12,O=myco');
  });

  it("agrees with node's own reading of a generated CA's subject, reversed", async () => {
    const ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
    const x509 = new X509Certificate(ca.certificatePem);
    const subject = parseCertificateStructure(x509.raw).tbsCertificate.subject;
    assert.equal(formatName(subject), x509.subject.split('\n').reverse().join(','));
    assert.equal(formatName(subject), `CN=${ca.dnsName},O=myco`);
  });

  it("prints the attributes Go knows in Go's fixed order, whatever order the certificate has", () => {
    const name = testName(
      [CN, 'root'],
      [OU, 'eng'],
      [O, 'Acme'],
      ['2.5.4.7', 'Springfield'],
      ['2.5.4.8', 'Oregon'],
      ['2.5.4.6', 'US'],
      ['2.5.4.9', '1 Main St'],
      ['2.5.4.17', '12345'],
      ['2.5.4.5', '42'],
    );
    assert.equal(formatName(reparsed(name)), 'SERIALNUMBER=42,CN=root,OU=eng,O=Acme,POSTALCODE=12345,STREET=1 Main St,L=Springfield,ST=Oregon,C=US');
  });

  it('joins repeated values of one type with + and keeps only the last common name', () => {
    assert.equal(formatName(reparsed(testName([O, 'a'], [O, 'b'], [CN, 'first'], [CN, 'second']))), 'CN=second,O=a+O=b');
  });

  it('flattens a multi-valued RDN into its types, as Go does', () => {
    const name = new Name([new RelativeDistinguishedName([atv(O, { utf8String: 'myco' }), atv(OU, { utf8String: 'ops' })])]);
    assert.equal(formatName(reparsed(name)), 'OU=ops,O=myco');
  });

  it('reads PrintableString, IA5String, BMPString and NumericString values as text', () => {
    const name = new Name([
      new RelativeDistinguishedName([atv('2.5.4.6', { printableString: 'US' })]),
      new RelativeDistinguishedName([atv(O, { bmpString: 'Zürich AG' })]),
      new RelativeDistinguishedName([atv('2.5.4.17', { anyValue: new NumericString({ value: '8001' }).toBER() })]),
      new RelativeDistinguishedName([atv(CN, { ia5String: 'root' })]),
    ]);
    assert.equal(formatName(reparsed(name)), 'CN=root,O=Zürich AG,POSTALCODE=8001,C=US');
  });

  it('prints unknown types last, newest first, as the OID and the hex of Go\'s re-encoding', () => {
    // "com" fits a PrintableString (tag 0x13); "@" does not, so Go writes a UTF8String (tag 0x0c).
    const name = testName([DC, 'example'], [DC, 'com'], [O, 'myco'], [EMAIL, 'ops@example.com']);
    assert.equal(
      formatName(reparsed(name)),
      `O=myco,${EMAIL}=#0c0f${Buffer.from('ops@example.com').toString('hex')},${DC}=#1303636f6d,${DC}=#13076578616d706c65`,
    );
  });

  it('prints an unknown type whose value is not a string as the hex of its DER', () => {
    const name = new Name([new RelativeDistinguishedName([atv('1.2.3.4', { anyValue: new Integer({ value: 5 }).toBER() })])]);
    assert.equal(formatName(reparsed(name)), '1.2.3.4=#020105');
  });

  it('prints an empty name as the empty string', () => {
    assert.equal(formatName(new Name([])), '');
  });
});

describe('escapeValue', () => {
  it('escapes the RFC 2253 specials anywhere in a value', () => {
    assert.equal(escapeValue('a,b+c"d\\e<f>g;h'), 'a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
  });

  it('escapes # only first and a space only first or last', () => {
    assert.equal(escapeValue('#tag'), '\\#tag');
    assert.equal(escapeValue('a#b c'), 'a#b c');
    assert.equal(escapeValue(' padded '), '\\ padded\\ ');
  });

  it('leaves = and non-ASCII characters alone, as Go does', () => {
    assert.equal(escapeValue('a=b Zürich'), 'a=b Zürich');
  });

  it('escapes the values formatName prints', () => {
    assert.equal(formatName(reparsed(testName([O, 'Acme, Inc.'], [CN, ' root ']))), 'CN=\\ root\\ ,O=Acme\\, Inc.');
  });
});
