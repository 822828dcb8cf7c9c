import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdmissionCode } from '../../pki/admission.js';
import { admissionRefusalReason } from './refusal-reasons.js';

const problem = (code: AdmissionCode) => ({ code, message: `some words about ${code}` });

describe('admissionRefusalReason', () => {
  it("files a refusal under its first problem's code, whatever the words say", () => {
    assert.equal(admissionRefusalReason([problem('name_constraints'), problem('expired')]), 'name_constraints');
    assert.equal(admissionRefusalReason([problem('critical_extension')]), 'critical_extension');
  });

  it('files an unreadable certificate, or no problem at all, under other', () => {
    assert.equal(admissionRefusalReason([problem('unreadable')]), 'other');
    assert.equal(admissionRefusalReason([]), 'other');
  });
});
