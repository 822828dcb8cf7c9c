import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tcldApiKey, tcldApiKeyList } from './tcld-apikey.js';

describe('tcldApiKey', () => {
  it("names each API state by tcld's APIKeyState, with Unspecified for those tcld has no name for", () => {
    const states = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((state) => tcldApiKey({ id: 'k', state }).state);
    assert.deepEqual(states, [
      'ApikeyStateUnspecified',
      'ApikeyStateCreating',
      'ApikeyStateCreateFailed',
      'ApikeyStateActive',
      'ApikeyStateUpdating',
      'ApikeyStateUpdateFailed',
      'ApikeyStateDeleting',
      'ApikeyStateDeleteFailed',
      'ApikeyStateDeleted',
      'ApikeyStateUnspecified',
      'ApikeyStateExpired',
    ]);
  });

  it('reads the deprecated state and owner type words of older API versions', () => {
    const key = tcldApiKey({ id: 'k', stateDeprecated: 'Active', spec: { ownerTypeDeprecated: 'service-account' } });
    assert.deepEqual([key.state, key.owner.ownerType], ['ApikeyStateActive', 'ApikeyOwnerTypeServiceAccount']);
  });

  it('writes every field of an empty key, as jsonpb with EmitDefaults does', () => {
    assert.deepEqual(tcldApiKeyList([{}]), {
      apiKeys: [
        {
          id: '',
          owner: { ownerId: '', ownerType: 'ApikeyOwnerTypeUnspecified' },
          spec: { accessType: 'ApikeyAccessTypeInheritOwnerAccess', displayName: '', description: '', expiryTime: null, disabled: false },
          resourceVersion: '',
          state: 'ApikeyStateUnspecified',
          requestId: '',
          createdTime: null,
          lastModifiedTime: null,
        },
      ],
      nextPageToken: '',
    });
  });
});
