import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { peekServerName } from './client-hello.js';
import { captureClientHello, splitInTwoRecords } from './test-support.js';

describe('peekServerName', () => {
  let named: Buffer;
  let nameless: Buffer;
  before(async () => {
    [named, nameless] = await Promise.all([captureClientHello({ servername: 'myns.acct.tmprl.local' }), captureClientHello({})]);
  });

  it("reads the server name of an OpenSSL client's ClientHello", () => {
    assert.deepEqual(peekServerName(named), { kind: 'hello', servername: 'myns.acct.tmprl.local' });
  });

  it('reads the server name of a TLS 1.2 ClientHello', async () => {
    const hello = await captureClientHello({ servername: 'other.acct.tmprl.cloud', maxVersion: 'TLSv1.2' });
    assert.deepEqual(peekServerName(hello), { kind: 'hello', servername: 'other.acct.tmprl.cloud' });
  });

  it('says a ClientHello without a server name asks for none', () => {
    assert.deepEqual(peekServerName(nameless), { kind: 'hello', servername: undefined });
  });

  it('needs more bytes for any shorter part of a ClientHello', () => {
    for (let length = 0; length < named.length; length++) {
      assert.deepEqual(peekServerName(named.subarray(0, length)), { kind: 'incomplete' }, `${length} of ${named.length} bytes`);
    }
  });

  it('reads the name from bytes that carry more than the ClientHello', () => {
    assert.deepEqual(peekServerName(Buffer.concat([named, Buffer.from([0x14, 3, 3, 0, 1, 1])])), { kind: 'hello', servername: 'myns.acct.tmprl.local' });
  });

  it('leaves a ClientHello split over two records unread (OpenSSL decides)', () => {
    assert.deepEqual(peekServerName(splitInTwoRecords(named)), { kind: 'unread' });
  });

  it('leaves bytes that are not TLS unread from the first byte on (an HTTP/2 preface in plaintext)', () => {
    assert.deepEqual(peekServerName(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')), { kind: 'unread' });
    assert.deepEqual(peekServerName(Buffer.from('P')), { kind: 'unread' });
  });

  it('leaves a record whose lengths do not add up unread, and never reads past it', () => {
    const corrupt = Buffer.from(named);
    corrupt.writeUInt16BE(0xffff, 5 + 4 + 2 + 32 + 1 + corrupt[5 + 4 + 2 + 32]!); // cipher_suites' length, past the end
    assert.deepEqual(peekServerName(corrupt), { kind: 'unread' });
    assert.deepEqual(peekServerName(Buffer.from([0x16, 3, 1, 0, 4, 1, 0, 0, 9])), { kind: 'unread' });
  });

  it('leaves a handshake record that is not a ClientHello unread', () => {
    assert.deepEqual(peekServerName(Buffer.from([0x16, 3, 3, 0, 4, 2, 0, 0, 0])), { kind: 'unread' });
  });
});
