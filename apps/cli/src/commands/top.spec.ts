import { nodeTopRows, podTopRows } from './top';

const Mi = 1024 * 1024;

describe('top rows', () => {
  it('nodes: millicores, MiB and percentages of allocatable; unknown without metrics; sorted by cpu', () => {
    const rows = nodeTopRows(
      [
        { name: 'node-1', cpu: 250, memory: 512 * Mi, cpuAllocatable: 2000, memoryAllocatable: 4096 * Mi },
        { name: 'node-2', cpu: 1500, memory: 100 * Mi, cpuAllocatable: 2000, memoryAllocatable: 1024 * Mi },
        { name: 'node-3', cpuAllocatable: 1000, memoryAllocatable: 1000 },
      ],
      'cpu',
    );
    expect(rows).toEqual([
      ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'],
      ['node-2', '1500m', '75%', '100Mi', '9%'],
      ['node-1', '250m', '12%', '512Mi', '12%'],
      ['node-3', '<unknown>', '<unknown>', '<unknown>', '<unknown>'],
    ]);
  });

  it('pods: summed containers, per-container rows with --containers, NAMESPACE with -A', () => {
    const pods = [{ namespace: 'a', name: 'p1', containers: [{ name: 'c1', cpu: 5, memory: 10 * Mi }, { name: 'c2', cpu: 7, memory: 2 * Mi }] }];
    expect(podTopRows(pods, { allNamespaces: false, containers: false, sortBy: '' })).toEqual([
      ['NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['p1', '12m', '12Mi'],
    ]);
    expect(podTopRows(pods, { allNamespaces: true, containers: true, sortBy: '' })).toEqual([
      ['NAMESPACE', 'POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)'],
      ['a', 'p1', 'c1', '5m', '10Mi'],
      ['a', 'p1', 'c2', '7m', '2Mi'],
    ]);
  });
});
