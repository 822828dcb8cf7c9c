import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IAsyncOperation } from './proto.js';
import { protoDuration, requestState, rfc3339, tcldRequestStatus } from './tcld-json.js';

const at = (seconds: number, nanos = 0) => ({ seconds, nanos }) as unknown as IAsyncOperation['startedTime'];

describe('rfc3339', () => {
  it('writes a Timestamp in UTC with 0, 3, 6 or 9 fractional digits, as jsonpb does', () => {
    assert.equal(rfc3339({ seconds: '1714557600', nanos: 0 }), '2024-05-01T10:00:00Z');
    assert.equal(rfc3339({ seconds: 1714557600, nanos: 250_000_000 }), '2024-05-01T10:00:00.250Z');
    assert.equal(rfc3339({ seconds: 1714557600, nanos: 1_000 }), '2024-05-01T10:00:00.000001Z');
    assert.equal(rfc3339({ seconds: 1714557600, nanos: 7 }), '2024-05-01T10:00:00.000000007Z');
  });
});

describe('protoDuration', () => {
  it('writes a Duration as seconds with as few fractional digits as keep it exact, and an s', () => {
    assert.equal(protoDuration({ seconds: 5, nanos: 0 }), '5s');
    assert.equal(protoDuration({ seconds: '0', nanos: 150_000_000 }), '0.150s');
    assert.equal(protoDuration({ seconds: 1, nanos: 500 }), '1.000000500s');
    assert.equal(protoDuration({ seconds: 0, nanos: -5_000_000 }), '-0.005s');
  });
});

describe('requestState', () => {
  it("names the API's AsyncOperation.State numbers as tcld's State enum does", () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((state) => requestState({ state })),
      ['Pending', 'InProgress', 'Failed', 'Cancelled', 'Fulfilled', 'Rejected'],
    );
  });

  it('falls back on the deprecated lowercase state string, and says Unspecified when there is neither', () => {
    assert.equal(requestState({ state: 0, stateDeprecated: 'in_progress' }), 'InProgress');
    assert.equal(requestState({ stateDeprecated: 'FULFILLED' }), 'Fulfilled');
    assert.equal(requestState({}), 'Unspecified');
  });
});

describe('tcldRequestStatus', () => {
  it("maps an AsyncOperation onto tcld's RequestStatus, every field present, in tcld's order", () => {
    const status = tcldRequestStatus(
      { id: 'req-1', state: 1, operationType: 'update-namespace', startedTime: at(1714557600), checkDuration: at(0, 200_000_000) },
      { resourceId: 'myns.acct', resourceType: 'namespace' },
    );
    assert.deepEqual(Object.entries(status), [
      ['requestId', 'req-1'],
      ['state', 'Pending'],
      ['checkDuration', '0.200s'],
      ['operationType', 'update-namespace'],
      ['resourceId', 'myns.acct'],
      ['resourceType', 'namespace'],
      ['failureReason', ''],
      ['startTime', '2024-05-01T10:00:00Z'],
      ['finishTime', null],
      ['approval', null],
    ]);
  });

  it('carries a failure reason and the finish time of an ended request, and empty resource fields when not told them', () => {
    const status = tcldRequestStatus({ id: 'r', state: 3, failureReason: 'bad bundle', finishedTime: at(1714557601) });
    assert.equal(status.state, 'Failed');
    assert.equal(status.failureReason, 'bad bundle');
    assert.equal(status.finishTime, '2024-05-01T10:00:01Z');
    assert.deepEqual([status.resourceId, status.resourceType, status.checkDuration], ['', '', null]);
  });
});
