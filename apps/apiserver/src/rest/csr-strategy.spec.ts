import { KubeObject, StatusError } from '@coxswain/api';
import { carryRequester, csrSubresourceUpdate, stampRequester } from './csr-strategy';

const now = new Date('2026-12-05T10:00:00Z');
const csr = (status?: object): KubeObject => ({ apiVersion: 'certificates.k8s.io/v1', kind: 'CertificateSigningRequest', metadata: { name: 'c' }, spec: { request: 'eA==', signerName: 'example.com/s', usages: ['client auth'], username: 'bob', groups: ['g'] }, status } as KubeObject);
const approved = { type: 'Approved', status: 'True', reason: 'ok', lastUpdateTime: '2026-12-05T09:00:00Z', lastTransitionTime: '2026-12-05T09:00:00Z' };
const failed = { type: 'Failed', status: 'True', reason: 'SignerValidationFailure' };
const CERT = Buffer.from('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n').toString('base64');

describe('CSR strategy', () => {
  it('stamps the requester over whatever the body says', () => {
    const body: Record<string, any> = { spec: { username: 'admin', groups: ['system:masters'], extra: { x: ['y'] } } }; // eslint-disable-line @typescript-eslint/no-explicit-any
    stampRequester(body, { name: 'system:bootstrap:abcdef', uid: 'u', groups: ['system:bootstrappers'], role: 'bootstrapper' });
    expect(body.spec).toEqual({ username: 'system:bootstrap:abcdef', uid: 'u', groups: ['system:bootstrappers', 'system:authenticated'] });
  });

  it('keeps the requester on a main update that leaves it out', () => {
    const next = carryRequester(csr(), { ...csr(), spec: { request: 'eA==', signerName: 'example.com/s', usages: ['client auth'] } } as KubeObject) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect([next.spec.username, next.spec.groups]).toEqual(['bob', ['g']]);
  });

  it.each([
    ['approval adds Approved with times filled in', 'approval', undefined, { conditions: [{ type: 'Approved', status: 'True', reason: 'r' }] }, { conditions: [{ type: 'Approved', status: 'True', reason: 'r', lastUpdateTime: '2026-12-05T10:00:00Z', lastTransitionTime: '2026-12-05T10:00:00Z' }] }],
    ['approval cannot set the certificate', 'approval', undefined, { conditions: [{ type: 'Approved', status: 'True' }], certificate: CERT }, { conditions: [{ type: 'Approved', status: 'True', lastUpdateTime: '2026-12-05T10:00:00Z', lastTransitionTime: '2026-12-05T10:00:00Z' }] }],
    ['status cannot approve', 'status', undefined, { conditions: [{ type: 'Approved', status: 'True' }] }, {}],
    ['status issues on an approved request', 'status', { conditions: [approved] }, { conditions: [approved], certificate: CERT }, { conditions: [approved], certificate: CERT }],
    ['status adds Failed and keeps Approved even when omitted', 'status', { conditions: [approved] }, { conditions: [failed] }, { conditions: [approved, { ...failed, lastUpdateTime: '2026-12-05T10:00:00Z', lastTransitionTime: '2026-12-05T10:00:00Z' }] }],
  ])('%s', (_n, sub, before, desired, want) => {
    expect((csrSubresourceUpdate(sub, csr(before), csr(desired), now) as unknown as { status: unknown }).status).toEqual(want);
  });

  it.each([
    ['approve a denied request', 'approval', { conditions: [{ type: 'Denied', status: 'True' }] }, { conditions: [{ type: 'Approved', status: 'True' }] }, 'status.conditions: Forbidden: updates may not remove a condition of type "Denied"'],
    ['issue without approval', 'status', undefined, { certificate: CERT }, 'status.certificate: Forbidden: certificate may only be set on an approved request'],
  ])('refuses to %s (422)', (_n, sub, before, desired, want) => {
    try {
      csrSubresourceUpdate(sub, csr(before), csr(desired), now);
      throw new Error('expected a 422');
    } catch (error) {
      expect(error).toBeInstanceOf(StatusError);
      const status = (error as StatusError).status;
      expect(status.code).toBe(422);
      expect(status.details?.causes?.map((c) => `${c.field}: ${c.message}`)).toContain(want);
    }
  });
});
