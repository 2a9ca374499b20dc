import { phaseTimer } from './phase-timer';

describe('phaseTimer', () => {
  let written: string[];
  beforeEach(() => {
    written = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(String(chunk)), true));
  });
  afterEach(() => jest.restoreAllMocks());

  it.each([
    [true, 1],
    [false, 0],
  ])('enabled=%s prints %d line(s) naming every phase in order', (enabled, lines) => {
    const mark = phaseTimer('cluster x start', enabled);
    mark('etcd');
    mark('apiservers');
    mark.done();
    expect(written).toHaveLength(lines);
    if (lines) expect(written[0]).toMatch(/^harness: cluster x start \d+ ms \(etcd \d+, apiservers \d+\)\n$/);
  });
});
