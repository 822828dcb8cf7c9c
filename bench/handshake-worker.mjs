// A handshake load generator for part 5 of the bench, forked by bench/gateway.mjs. Each handshake is a
// new TCP connection and a full TLS handshake with a P-384 client certificate (no session is ever
// resumed: none is kept, and a resumed one would be counted as an error), checked as a real client
// checks it (the dev server CA as the only root, the namespace's host name as the server name, ALPN
// h2). It counts as done when the gateway has admitted the client: the client sends the HTTP/2
// preface and an empty SETTINGS frame, and the server behind the gateway answers with its SETTINGS
// frame, which it only does once admitClient said yes (a refused client is cut instead). Then the
// connection is destroyed and the loop starts the next one.
//
// Messages in:  { type: 'setup', port, caPem, leaf: { certificatePem, privateKeyPem } }
//               { type: 'run', servername, ms, inFlight }
// Messages out: { type: 'ready' }
//               { type: 'result', handshakes, errors, errorSamples, latencies, elapsedMs, cpuMs }
//               { type: 'failed', message }
import { connect } from 'node:tls';
import { constants } from 'node:crypto';
import { createSecureContext } from 'node:tls';

/** The HTTP/2 client preface and an empty SETTINGS frame. */
const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);
const FRAME_SETTINGS = 4;
const HANDSHAKE_TIMEOUT_MS = 5000;

let port;
let secureContext;

/** One connection: resolves once the server behind the gateway sent its SETTINGS frame; rejects otherwise. */
function handshake(servername) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, servername, secureContext, ALPNProtocols: ['h2'] });
    let settled = false;
    const settle = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => settle(new Error(`no answer within ${HANDSHAKE_TIMEOUT_MS} ms`)), HANDSHAKE_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      if (socket.isSessionReused()) return settle(new Error('the TLS session was resumed: not a full handshake'));
      if (socket.alpnProtocol !== 'h2') return settle(new Error(`ALPN protocol ${socket.alpnProtocol}, not h2`));
      socket.write(H2_PREFACE);
    });
    socket.once('data', (chunk) =>
      settle(chunk.length >= 9 && chunk[3] === FRAME_SETTINGS ? undefined : new Error(`the server's first bytes are not an HTTP/2 SETTINGS frame (${chunk.subarray(0, 9).toString('hex')})`)),
    );
    socket.once('error', (error) => settle(error));
    socket.once('close', () => settle(new Error('the gateway closed the connection before the server answered (refused)')));
  });
}

async function runLoops({ servername, ms, inFlight }) {
  const latencies = [];
  const errorSamples = [];
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await handshake(servername);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${servername}: ${error?.code ?? ''} ${error?.message ?? String(error)}`.trim());
          // A gateway that refuses at once must not turn the loop into a busy spin.
          await new Promise((done) => setTimeout(done, 10));
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { handshakes: latencies.length, errors, errorSamples, latencies: Float64Array.from(latencies), elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

process.on('message', async (message) => {
  try {
    if (message.type === 'setup') {
      port = message.port;
      // Built once: the client's certificate, key and trusted root are parsed once, not per connection,
      // so the generator spends its CPU on the handshakes themselves. No session tickets asked for.
      secureContext = createSecureContext({
        ca: message.caPem,
        cert: message.leaf.certificatePem,
        key: message.leaf.privateKeyPem,
        secureOptions: constants.SSL_OP_NO_TICKET,
      });
      process.send({ type: 'ready' });
    } else if (message.type === 'run') {
      process.send({ type: 'result', ...(await runLoops(message)) });
    } else {
      throw new Error(`unknown message type ${message.type}`);
    }
  } catch (error) {
    process.send({ type: 'failed', message: error?.stack ?? String(error) });
  }
});
// The bench disconnects when it is done with us.
process.on('disconnect', () => process.exit(0));
