import { failureMessage } from './failure-message';

describe('failureMessage', () => {
  it.each([
    { name: 'the example from the issue', nodeCount: 3, reasons: { 'Insufficient memory': 2, 'node(s) had untolerated taint {k: v}': 1 }, want: '0/3 nodes are available: 2 Insufficient memory, 1 node(s) had untolerated taint {k: v}.' },
    { name: 'equal counts sort by text', nodeCount: 2, reasons: { 'node(s) were unschedulable': 1, 'Insufficient cpu': 1 }, want: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.' },
    { name: 'several reasons on each node', nodeCount: 3, reasons: { 'Insufficient cpu': 3, 'Insufficient memory': 3 }, want: '0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory.' },
    { name: 'no nodes at all', nodeCount: 0, reasons: {}, want: 'no nodes available to schedule pods' },
  ])('$name', ({ nodeCount, reasons, want }) => {
    expect(failureMessage({ nodeCount, reasons: new Map(Object.entries(reasons)) })).toBe(want);
  });
});
