import { KubeObject } from '@coxswain/api';
import { cpuRate, formatUsage } from './metrics-api';
import { grpcToStatus, NodeClients } from './node-clients';
import { exitStatus } from './websocket';

describe('metrics API figures', () => {
  it.each([
    [0, 0, '0m', '0Ki'],
    [123_456_789, 1_048_576, '124m', '1024Ki'],
    [2e9, 512 * 1024 * 1024, '2000m', '524288Ki'],
  ])('formatUsage(%d, %d)', (cpu, mem, cpuText, memText) => expect(formatUsage(cpu, mem)).toEqual({ cpu: cpuText, memory: memText }));

  it('computes CPU as a rate between samples', () => {
    expect(cpuRate({ cpuNanos: 1e9, memory: 0, at: 1000 }, { cpuNanos: 1.5e9, memory: 0, at: 2000 })).toBe(5e8);
    expect(cpuRate(undefined, { cpuNanos: 1, memory: 0, at: 1 })).toBeUndefined();
    expect(cpuRate({ cpuNanos: 1, memory: 0, at: 5 }, { cpuNanos: 2, memory: 0, at: 5 })).toBeUndefined();
  });
});

describe('node agent addressing and errors', () => {
  it('reads the agent endpoint from a Node', () => {
    const node = { metadata: { name: 'n' }, status: { addresses: [{ type: 'Hostname', address: 'n' }, { type: 'InternalIP', address: '10.0.0.2' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } } } as unknown as KubeObject;
    expect(NodeClients.addressOf(node)).toBe('10.0.0.2:10250');
    expect(NodeClients.addressOf({ metadata: { name: 'n' } } as KubeObject)).toBeUndefined();
  });

  it.each([
    [3, 400],
    [5, 404],
    [9, 400],
    [12, 501],
    [14, 503],
    [13, 500],
  ])('gRPC code %d → HTTP %d', (code, http) => expect(grpcToStatus({ code, details: 'x' }).code).toBe(http));
});

describe('exec exit status on the error channel', () => {
  it('is Success for 0 and NonZeroExitCode with the code otherwise, as kubectl reads it', () => {
    expect(exitStatus(0, ['true'])).toEqual({ metadata: {}, status: 'Success' });
    expect(exitStatus(3, ['sh', '-c', 'exit 3'])).toMatchObject({ status: 'Failure', reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: '3' }] } });
  });
});
