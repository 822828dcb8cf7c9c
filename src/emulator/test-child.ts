/**
 * An emulator in a child process, for tests that kill it: `node --import tsx test-child.ts <db> <namespace>...`.
 * Prints `ready <port>` when it listens; closes cleanly on SIGTERM.
 */
import { startEmulator } from './index.js';
import { TEST_KEY } from './test-support.js';

const [db, ...namespaces] = process.argv.slice(2);
void startEmulator({ db: db!, namespaces, apiKeys: [TEST_KEY], port: 0, host: '127.0.0.1', asyncDelayMs: 0 }).then((emulator) => {
  process.stdout.write(`ready ${emulator.port}\n`);
  process.once('SIGTERM', () => void emulator.close());
});
