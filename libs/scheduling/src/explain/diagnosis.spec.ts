import { unschedulable } from '../framework/status';
import { DIAGNOSIS_ANNOTATION, diagnosisRecord, emptyDiagnosis, latestDiagnosisRecord, readDiagnosisRecord, recordReasonCounts, recordRejection } from './diagnosis';

describe('diagnosis records', () => {
  const diagnosis = emptyDiagnosis(3);
  recordRejection(diagnosis, 'b', 'NodeResourcesFit', unschedulable('Insufficient cpu', 'Insufficient memory'));
  recordRejection(diagnosis, 'a', 'NodeResourcesFit', unschedulable('Insufficient cpu'));

  it('counts reasons and keeps the nodes, sorted by name', () => {
    expect(Object.fromEntries(diagnosis.reasons)).toEqual({ 'Insufficient cpu': 2, 'Insufficient memory': 1 });
    expect(diagnosisRecord(diagnosis)).toEqual({
      nodeCount: 3,
      nodes: [
        { node: 'a', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] },
        { node: 'b', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu', 'Insufficient memory'] },
      ],
      omitted: 0,
    });
  });

  it('caps the listed nodes and says how many were left out', () => {
    expect(diagnosisRecord(diagnosis, 1)).toMatchObject({ nodes: [{ node: 'a' }], omitted: 1 });
  });

  it('round-trips through the annotation and counts reasons like the message', () => {
    const record = readDiagnosisRecord({ [DIAGNOSIS_ANNOTATION]: JSON.stringify(diagnosisRecord(diagnosis)) })!;
    expect(recordReasonCounts(record)).toEqual([{ reason: 'Insufficient cpu', count: 2 }, { reason: 'Insufficient memory', count: 1 }]);
  });

  it.each<Record<string, string> | undefined>([undefined, {}, { [DIAGNOSIS_ANNOTATION]: 'not json' }, { [DIAGNOSIS_ANNOTATION]: '{"nodes":3}' }])('ignores %p', (annotations) => {
    expect(readDiagnosisRecord(annotations)).toBeUndefined();
  });
});

describe('latestDiagnosisRecord', () => {
  const event = (at: string, nodeCount?: number, reason = 'FailedScheduling') => ({
    reason,
    lastTimestamp: at,
    metadata: { annotations: (nodeCount === undefined ? {} : { [DIAGNOSIS_ANNOTATION]: JSON.stringify({ nodeCount, nodes: [], omitted: 0 }) }) as Record<string, string> },
  });
  it('takes the newest FailedScheduling event that carries a record', () => {
    const events = [event('2026-01-01T00:01:00Z', 2), event('2026-01-01T00:00:00Z', 1), event('2026-01-01T00:02:00Z'), event('2026-01-01T00:03:00Z', 9, 'Scheduled')];
    expect(latestDiagnosisRecord(events)?.nodeCount).toBe(2);
    expect(latestDiagnosisRecord([])).toBeUndefined();
  });
});
