import { classifyQmp, LineSplitter } from './qmp';

describe('classifyQmp', () => {
  it.each([
    { name: 'greeting', line: '{"QMP": {"version": {"qemu": {"major": 7}}, "capabilities": ["oob"]}}', want: { kind: 'greeting', version: { qemu: { major: 7 } } } },
    { name: 'return with id', line: '{"return": {}, "id": "3"}', want: { kind: 'return', id: '3', value: {} } },
    { name: 'error', line: '{"error": {"class": "CommandNotFound", "desc": "nope"}, "id": "4"}', want: { kind: 'error', id: '4', errorClass: 'CommandNotFound', desc: 'nope' } },
    {
      name: 'event',
      line: '{"timestamp": {"seconds": 1}, "event": "SHUTDOWN", "data": {"guest": true, "reason": "guest-shutdown"}}',
      want: { kind: 'event', event: 'SHUTDOWN', data: { guest: true, reason: 'guest-shutdown' } },
    },
    { name: 'event without data', line: '{"event": "POWERDOWN"}', want: { kind: 'event', event: 'POWERDOWN', data: {} } },
    { name: 'not json', line: 'garbage', want: undefined },
    { name: 'unknown shape', line: '{"foo": 1}', want: undefined },
    { name: 'json scalar', line: '42', want: undefined },
  ])('$name', ({ line, want }) => expect(classifyQmp(line)).toEqual(want));
});

describe('LineSplitter', () => {
  it('joins fragments and keeps the partial tail until its newline arrives', () => {
    const s = new LineSplitter();
    expect(s.push('{"a":')).toEqual([]);
    expect(s.push('1}\r\n{"b"')).toEqual(['{"a":1}']);
    expect(s.push(':2}\n\n{"c":3}\n')).toEqual(['{"b":2}', '{"c":3}']);
  });
});
