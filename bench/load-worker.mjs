// A load generator process for part 4 of the bench, forked by bench/cloud.mjs. It opens one
// connection per loop (each on its own TCP connection), then on each `run` message drives its loops
// for the time given and reports every call's latency.
//
// Two clients, chosen by the `client` field of `connect`:
//  - 'lean' (the default): a bare @grpc/grpc-js Client per loop calling makeUnaryRequest with request
//    bytes encoded once up front and identity (de)serializers, so the hot path costs grpc-js and
//    HTTP/2 only (still about 120 us of CPU per call on the bench machine, more than the emulator's
//    GetNamespace, much of it GC). The first response of each loop in each run is decoded in full and
//    checked; the others only have to arrive with status OK and a non-empty body.
//  - 'official': the official @temporalio/cloud client (proto encode/decode and its wrappers on every
//    call), for comparison.
//
// Messages in:  { type: 'connect', client, address, apiKey, apiVersion, namespaces }  (one loop per namespace)
//               { type: 'run', method: 'get' | 'update', ms }
// Messages out: { type: 'ready' }
//               { type: 'result', calls, errors, errorSamples, latencies, elapsedMs, cpuMs, elu, loopDelayP99Ms }
//               { type: 'failed', message }
import { createRequire } from 'node:module';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const grpc = require('@grpc/grpc-js');

const API_VERSION_HEADER = 'temporal-cloud-api-version';
const RETENTION = [30, 31]; // UpdateNamespace toggles between these, so every call changes something
const SERVICE = '/temporal.api.cloud.cloudservice.v1.CloudService';

/** One loop per namespace: its client, and `call(method)` that resolves when the call succeeded. */
let loops = [];
let closeAll = () => {};

// ---------------------------------------------------------------------------------------------------
// The lean client.

const identity = (bytes) => bytes;

function leanClients({ address, apiKey, apiVersion, namespaces }) {
  const { temporal } = require('@temporalio/proto');
  const v1 = temporal.api.cloud.cloudservice.v1;
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${apiKey}`);
  metadata.set(API_VERSION_HEADER, apiVersion);
  const encode = (type, message) => Buffer.from(type.encode(message).finish());

  return Promise.all(
    namespaces.map(async (namespace) => {
      const client = new grpc.Client(address, grpc.credentials.createInsecure(), {
        // Clients with equal options would otherwise share one TCP connection (grpc-js's global
        // subchannel pool): a local pool gives each loop its own, as 16 separate clients would have.
        'grpc.use_local_subchannel_pool': 1,
        // No retries of any kind: a rejected call is counted as an error, not retried out of sight.
        'grpc.enable_retries': 0,
      });
      /** One unary call of pre-encoded bytes; resolves with the response bytes. */
      const unary = (method, body) =>
        new Promise((resolve, reject) =>
          client.makeUnaryRequest(`${SERVICE}/${method}`, identity, identity, body, metadata, (error, response) => {
            if (error) reject(error);
            else if (!response || response.length === 0) reject(new Error(`${method} returned an empty response`));
            else resolve(response);
          }),
        );

      const getBody = encode(v1.GetNamespaceRequest, { namespace });
      /** A full GetNamespace, decoded and checked: the namespace's current spec. */
      const readSpec = async () => {
        const decoded = v1.GetNamespaceResponse.decode(await unary('GetNamespace', getBody));
        if (decoded.namespace?.namespace !== namespace || !decoded.namespace.spec) {
          throw new Error(`GetNamespace ${namespace} answered ${JSON.stringify(v1.GetNamespaceResponse.toObject(decoded)).slice(0, 200)}`);
        }
        return decoded.namespace.spec;
      };
      const spec = await readSpec();
      // The two UpdateNamespace bodies, each the current spec with one retention and no resource_version check.
      const updateBodies = RETENTION.map((retentionDays) => encode(v1.UpdateNamespaceRequest, { namespace, spec: { ...spec, retentionDays }, resourceVersion: '' }));
      let retention = spec.retentionDays;
      let checked = { get: false, update: false };

      return {
        namespace,
        client,
        newRun() {
          checked = { get: false, update: false };
        },
        async call(method) {
          if (method === 'get') {
            if (checked.get) return unary('GetNamespace', getBody);
            checked.get = true;
            return readSpec();
          }
          const next = retention === RETENTION[0] ? 1 : 0;
          const response = await unary('UpdateNamespace', updateBodies[next]);
          retention = RETENTION[next];
          if (!checked.update) {
            checked.update = true;
            const operation = v1.UpdateNamespaceResponse.decode(response).asyncOperation;
            if (!operation?.id) throw new Error(`UpdateNamespace ${namespace} answered no async operation`);
          }
          return response;
        },
        /** After a rejected update our idea of the retention may be wrong: read it back. */
        async resync() {
          retention = (await readSpec()).retentionDays;
        },
      };
    }),
  ).then((made) => {
    closeAll = () => made.forEach((loop) => loop.client.close());
    return made;
  });
}

// ---------------------------------------------------------------------------------------------------
// The official @temporalio/cloud client.

function officialClients({ address, apiKey, apiVersion, namespaces }) {
  const { CloudOperationsClient, CloudOperationsConnection } = require('@temporalio/cloud');
  return Promise.all(
    namespaces.map(async (namespace) => {
      const connection = await CloudOperationsConnection.connect({
        address,
        apiKey,
        credentials: grpc.credentials.createInsecure(),
        // No retry interceptor: a rejected call is counted as an error, not retried out of sight.
        interceptors: [],
        // One TCP connection per loop (see leanClients).
        channelArgs: { 'grpc.use_local_subchannel_pool': 1 },
        metadata: { [API_VERSION_HEADER]: apiVersion },
      });
      const cloud = new CloudOperationsClient({ connection, apiVersion }).cloudService;
      const readSpec = async () => {
        const { namespace: current } = await cloud.getNamespace({ namespace });
        if (current?.namespace !== namespace || !current.spec) throw new Error(`GetNamespace ${namespace} returned no spec`);
        return current.spec;
      };
      const spec = await readSpec();
      let retention = spec.retentionDays;
      return {
        namespace,
        connection,
        newRun() {},
        async call(method) {
          if (method === 'get') return cloud.getNamespace({ namespace });
          const retentionDays = retention === RETENTION[0] ? RETENTION[1] : RETENTION[0];
          const response = await cloud.updateNamespace({ namespace, spec: { ...spec, retentionDays }, resourceVersion: '' });
          retention = retentionDays;
          return response;
        },
        async resync() {
          retention = (await readSpec()).retentionDays;
        },
      };
    }),
  ).then((made) => {
    closeAll = () => made.forEach((loop) => loop.connection.close());
    return made;
  });
}

// ---------------------------------------------------------------------------------------------------

/** Which client `connect` set up. */
let client;

async function connect(message) {
  if (message.client !== 'lean' && message.client !== 'official') throw new Error(`unknown load client "${message.client}"`);
  loops = await (message.client === 'lean' ? leanClients : officialClients)(message);
  client = message.client;
}

async function runLoops(method, ms) {
  const latencies = [];
  const errorSamples = [];
  let errors = 0;
  for (const loop of loops) loop.newRun();
  // grpc-js captures a stack trace (`new Error()`) for every call it starts; the lean client needs no
  // stacks, and skipping them saved ~15% of its CPU per call. The official client keeps them, as a user's would.
  const stackTraceLimit = Error.stackTraceLimit;
  if (client === 'lean') Error.stackTraceLimit = 0;
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  // How late this process's event loop ran timers: pauses (GC, long turns) here delay every loop's
  // responses alike, so a client-side p99 close to this one's p99 is the load generator's own doing.
  const delay = monitorEventLoopDelay({ resolution: 2 });
  delay.enable();
  const start = performance.now();
  const end = start + ms;
  try {
    await Promise.all(
      loops.map(async (loop) => {
        while (performance.now() < end) {
          const t0 = performance.now();
          try {
            await loop.call(method);
            latencies.push(performance.now() - t0);
          } catch (error) {
            errors++;
            if (errorSamples.length < 3) errorSamples.push(`${loop.namespace}: ${error?.details ?? error?.message ?? String(error)}`);
            if (method === 'update') {
              try {
                await loop.resync();
              } catch {
                // counted already; the next update will tell
              }
            }
          }
        }
      }),
    );
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  // Event-loop utilisation: near 1 means this process, not the emulator, set the pace.
  const elu = performance.eventLoopUtilization(eluBefore).utilization;
  delay.disable();
  return {
    calls: latencies.length + errors,
    errors,
    errorSamples,
    latencies: Float64Array.from(latencies),
    elapsedMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    elu,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
  };
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
  loops = [];
  process.exit(0);
});
