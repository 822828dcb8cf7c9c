import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { depsWithCloud, fakeCloud } from '../namespace/fake-cloud.js';
import { run } from './get.js';

describe('r g', () => {
  it("prints tcld's GetRequestStatusResponse, {requestStatus}, with RFC 3339 times", async () => {
    const { deps } = depsWithCloud(fakeCloud([]).client);
    const printed = await run({ requestId: 'req-1' }, deps);
    assert.deepEqual(printed, {
      format: 'json',
      indent: '\t',
      notes: [],
      value: {
        requestStatus: {
          requestId: 'req-1',
          state: 'Fulfilled',
          checkDuration: null,
          operationType: 'update-namespace',
          resourceId: '',
          resourceType: '',
          failureReason: '',
          startTime: '2024-05-01T10:00:00Z',
          finishTime: '2024-05-01T10:00:01.250Z',
          approval: null,
        },
      },
    });
  });

  it("prints the API's AsyncOperation with --output api, times as RFC 3339 there too", async () => {
    const { deps } = depsWithCloud(fakeCloud([]).client);
    const printed = await run({ requestId: 'req-1', output: 'api' }, deps);
    assert.deepEqual(printed.format === 'json' && printed.value, {
      id: 'req-1',
      state: 'STATE_FULFILLED',
      operationType: 'update-namespace',
      startedTime: '2024-05-01T10:00:00Z',
      finishedTime: '2024-05-01T10:00:01.250Z',
    });
  });
});
