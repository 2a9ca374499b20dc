import { decodeHealthCheckResponse, encodeHealthCheckRequest, frameMessage, healthVerdict, unframeMessage } from './grpc-health';

describe('grpc.health.v1 messages', () => {
  it.each<[string, string | undefined, number[]]>([
    ['empty service: the empty message', undefined, []],
    ['empty string is the default', '', []],
    ['field 1, length, bytes', 'db', [0x0a, 2, 0x64, 0x62]],
  ])('request: %s', (_name, service, want) => {
    expect([...encodeHealthCheckRequest(service)]).toEqual(want);
  });

  it('request: a name of 200 bytes takes a two-byte length', () => {
    expect([...encodeHealthCheckRequest('x'.repeat(200)).subarray(0, 3)]).toEqual([0x0a, 0xc8, 0x01]);
  });

  it.each<[string, number[], number]>([
    ['SERVING', [0x08, 1], 1],
    ['NOT_SERVING', [0x08, 2], 2],
    ['empty message is UNKNOWN', [], 0],
    ['unknown fields skipped', [0x12, 3, 1, 2, 3, 0x18, 7, 0x08, 1], 1],
    ['fixed64 and fixed32 skipped', [0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0x15, 0, 0, 0, 0, 0x08, 3], 3],
  ])('response: %s', (_name, bytes, want) => {
    expect(decodeHealthCheckResponse(Buffer.from(bytes))).toBe(want);
  });

  it('frames with a 5-byte prefix and reads it back', () => {
    const framed = frameMessage(Buffer.from([0x08, 1]));
    expect([...framed]).toEqual([0, 0, 0, 0, 2, 0x08, 1]);
    expect([...unframeMessage(framed)!]).toEqual([0x08, 1]);
    expect(unframeMessage(Buffer.alloc(0))).toBeUndefined();
  });

  it.each<[string, number, string, number[], boolean, string]>([
    ['SERVING succeeds', 0, '', [0x08, 1], true, 'SERVING'],
    ['NOT_SERVING fails with its name', 0, '', [0x08, 2], false, 'service unhealthy (responded with "NOT_SERVING")'],
    ['SERVICE_UNKNOWN fails', 0, '', [0x08, 3], false, 'service unhealthy (responded with "SERVICE_UNKNOWN")'],
    ['UNIMPLEMENTED: no health service', 12, 'unknown service grpc.health.v1.Health', [], false, 'error: this server does not implement the grpc health protocol (grpc.health.v1.Health): unknown service grpc.health.v1.Health'],
    ['DEADLINE_EXCEEDED', 4, '', [], false, 'timeout: health rpc did not complete within 1s'],
    ['other status: failure with code and message', 5, 'no such service', [], false, 'error: health rpc probe failed: rpc error: code = 5 desc = no such service'],
  ])('verdict: %s', (_name, status, message, body, ok, want) => {
    expect(healthVerdict(status, message, frameMessage(Buffer.from(body)), 1000)).toEqual({ ok, message: want });
  });
});
