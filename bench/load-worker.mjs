// A load generator process for part 4 of the bench, forked by bench/cloud.mjs. It opens one
// connection of the official @temporalio/cloud client per loop (each on its own TCP connection),
// then on each `run` message drives its loops for the time given and reports every call's latency.
//
// Messages in:  { type: 'connect', address, apiKey, apiVersion, namespaces }  (one loop per namespace)
//               { type: 'run', method: 'get' | 'update', ms }
// Messages out: { type: 'ready' } | { type: 'result', calls, errors, errorSamples, latencies, elapsedMs, cpuMs }
//               { type: 'failed', message }
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { credentials } = require('@grpc/grpc-js');
const { CloudOperationsClient, CloudOperationsConnection } = require('@temporalio/cloud');

const API_VERSION_HEADER = 'temporal-cloud-api-version';
const RETENTION = [30, 31]; // UpdateNamespace toggles between these, so every call changes something

/** One loop: its connection, its namespace, and the spec it last wrote. */
let loops = [];

async function connect({ address, apiKey, apiVersion, namespaces }) {
  loops = await Promise.all(
    namespaces.map(async (namespace) => {
      const connection = await CloudOperationsConnection.connect({
        address,
        apiKey,
        credentials: credentials.createInsecure(),
        // No retry interceptor: a rejected call is counted as an error, not retried out of sight.
        interceptors: [],
        // Connections with equal options would otherwise share one TCP connection (grpc-js's global
        // subchannel pool): a local pool gives each loop its own, as 16 separate clients would have.
        channelArgs: { 'grpc.use_local_subchannel_pool': 1 },
        metadata: { [API_VERSION_HEADER]: apiVersion },
      });
      const client = new CloudOperationsClient({ connection, apiVersion });
      const { namespace: current } = await client.cloudService.getNamespace({ namespace });
      if (!current?.spec) throw new Error(`GetNamespace ${namespace} returned no spec`);
      return { connection, cloud: client.cloudService, namespace, spec: current.spec, retention: current.spec.retentionDays };
    }),
  );
}

/** The next call of a loop. UpdateNamespace sends an empty resource_version, which the emulator takes as "no check". */
function call(loop, method) {
  if (method === 'get') return loop.cloud.getNamespace({ namespace: loop.namespace });
  const retentionDays = loop.retention === RETENTION[0] ? RETENTION[1] : RETENTION[0];
  return loop.cloud.updateNamespace({ namespace: loop.namespace, spec: { ...loop.spec, retentionDays }, resourceVersion: '' }).then((response) => {
    loop.retention = retentionDays;
    return response;
  });
}

async function runLoops(method, ms) {
  const latencies = [];
  const errorSamples = [];
  let errors = 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    loops.map(async (loop) => {
      while (performance.now() < end) {
        const t0 = performance.now();
        try {
          await call(loop, method);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`${loop.namespace}: ${error?.details ?? error?.message ?? String(error)}`);
          // A rejected update may have left our idea of the retention wrong: read it back.
          if (method === 'update') {
            try {
              loop.retention = (await loop.cloud.getNamespace({ namespace: loop.namespace })).namespace?.spec?.retentionDays;
            } catch {
              // counted already; the next update will tell
            }
          }
        }
      }
    }),
  );
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  return { calls: latencies.length + errors, errors, errorSamples, latencies: Float64Array.from(latencies), elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function closeAll() {
  for (const loop of loops) loop.connection.close();
  loops = [];
}

process.on('message', async (message) => {
  try {
    if (message.type === 'connect') {
      await connect(message);
      process.send({ type: 'ready' });
    } else if (message.type === 'run') {
      process.send({ type: 'result', ...(await runLoops(message.method, message.ms)) });
    }
  } catch (error) {
    process.send({ type: 'failed', message: error?.stack ?? String(error) });
  }
});

// The bench closes the channel when it is done, or when it dies: either way, leave.
process.on('disconnect', () => {
  closeAll();
  process.exit(0);
});
