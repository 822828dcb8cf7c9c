/**
 * Distinguished names as tcld prints them: Go's `pkix.Name.String()` of a parsed certificate's subject
 * or issuer. Go does not print the RDN sequence as written: it prints the attributes it knows in a fixed
 * order (SERIALNUMBER, CN, OU, O, POSTALCODE, STREET, L, ST, C), several values of one type as a
 * multi-valued RDN joined by `+`, and the attributes it does not know last, as `OID=#<DER hex>`.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { fromBER, NumericString, PrintableString, Utf8String } from 'asn1js';
import type { AttributeTypeAndValue, AttributeValue, Name } from '@peculiar/asn1-x509';

/** Go's short names for the attribute types it parses into pkix.Name's fields (crypto/x509/pkix). */
const SHORT_NAME: Readonly<Record<string, string>> = {
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.17': 'POSTALCODE',
};

/** pkix.Name.ToRDNSequence's order; String() prints it reversed. CN and SERIALNUMBER keep their last value only. */
const FIELD_ORDER = ['2.5.4.6', '2.5.4.8', '2.5.4.7', '2.5.4.9', '2.5.4.17', '2.5.4.10', '2.5.4.11', '2.5.4.3', '2.5.4.5'];
const SINGLE_VALUED = new Set(['2.5.4.3', '2.5.4.5']);

type Component = { type: string; value: string } | { type: string; der: Uint8Array };

/** Go's `pkix.Name.String()` of a certificate's parsed name: `CN=client.root.myco.ab12,O=myco`. */
export function formatName(name: Name): string {
  const unknown: Component[][] = [];
  const fields = new Map<string, string[]>();
  for (const rdn of name) {
    for (const atv of rdn) {
      const value = stringValue(atv.value);
      if (atv.type in SHORT_NAME) {
        if (value === undefined) continue; // Go drops a known attribute whose value is not a string
        const values = fields.get(atv.type) ?? [];
        fields.set(atv.type, SINGLE_VALUED.has(atv.type) ? [value] : [...values, value]);
      } else {
        unknown.push([value === undefined ? { type: atv.type, der: rawValue(atv) } : { type: atv.type, value }]);
      }
    }
  }
  const known = FIELD_ORDER.flatMap((type) => {
    const values = fields.get(type);
    return values ? [values.map((value) => ({ type, value }))] : [];
  });
  return [...unknown, ...known]
    .reverse()
    .map((rdn) => rdn.map(formatComponent).join('+'))
    .join(',');
}

function formatComponent(component: Component): string {
  const short = SHORT_NAME[component.type];
  if ('der' in component) return `${component.type}=#${Buffer.from(component.der).toString('hex')}`;
  if (short) return `${short}=${escapeValue(component.value)}`;
  // Go re-marshals an unknown attribute's string value, choosing PrintableString when it can.
  const encoded = isPrintableString(component.value)
    ? new PrintableString({ value: component.value })
    : new Utf8String({ value: component.value });
  return `${component.type}=#${Buffer.from(encoded.toBER()).toString('hex')}`;
}

/** RFC 2253 escaping as Go applies it: `,+"\<>;` anywhere, `#` first, a space first or last. */
export function escapeValue(value: string): string {
  const chars = [...value];
  return chars
    .map((c, i) => {
      const escape = ',+"\\<>;'.includes(c) || (c === '#' && i === 0) || (c === ' ' && (i === 0 || i === chars.length - 1));
      return escape ? `\\${c}` : c;
    })
    .join('');
}

/** Go's asn1 PrintableString alphabet, with `*` and `&` excluded as Go's Marshal excludes them. */
function isPrintableString(value: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(value);
}

/** The value as a string, for the string types Go's certificate parser reads as strings. */
export function stringValue(value: AttributeValue): string | undefined {
  for (const text of [value.printableString, value.utf8String, value.ia5String, value.bmpString, value.teletexString]) {
    if (text !== undefined) return text;
  }
  if (value.anyValue) {
    const parsed = fromBER(value.anyValue).result;
    if (parsed instanceof NumericString) return parsed.getValue();
  }
  return undefined;
}

/** The value's DER, as Go prints an unknown attribute whose value it cannot read as a string. */
function rawValue(atv: AttributeTypeAndValue): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(atv.value));
}
