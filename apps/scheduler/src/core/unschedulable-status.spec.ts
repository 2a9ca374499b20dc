import { podObject, vmiObject } from '@coxswain/scheduling/testing';
import { workloadFromPod, workloadFromVmi } from '@coxswain/scheduling';
import { unschedulableStatusPatch } from './unschedulable-status';

const NOW = '2025-01-01T00:00:00Z';
const MSG = '0/1 nodes are available: 1 Insufficient memory.';

function podWith(conditions?: unknown[]) {
  const p = podObject('p');
  if (conditions) p.status = { conditions: conditions as never };
  return workloadFromPod(p);
}

describe('unschedulableStatusPatch', () => {
  it.each([
    {
      name: 'adds the condition to a fresh pod',
      w: podWith(),
      want: { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: MSG, lastProbeTime: null, lastTransitionTime: NOW }] } },
    },
    {
      name: 'keeps other conditions and the transition time of an earlier failure',
      w: podWith([{ type: 'Other', status: 'True' }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'older', lastTransitionTime: 'T0' }]),
      want: { status: { conditions: [{ type: 'Other', status: 'True' }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: MSG, lastProbeTime: null, lastTransitionTime: 'T0' }] } },
    },
    { name: 'nothing to write when it already says so', w: podWith([{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: MSG }]), want: undefined },
  ])('$name', ({ w, want }) => expect(unschedulableStatusPatch(w, MSG, NOW)).toEqual(want));

  it('sets phase Pending on a VMI, and rewrites when only the phase is off', () => {
    const v = vmiObject('v');
    expect(unschedulableStatusPatch(workloadFromVmi(v, { milliCpu: 0, memory: 0 }), MSG, NOW)?.status).toMatchObject({ phase: 'Pending', conditions: [{ type: 'PodScheduled', message: MSG }] });
    v.status = { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: MSG }] };
    expect(unschedulableStatusPatch(workloadFromVmi(v, { milliCpu: 0, memory: 0 }), MSG, NOW)?.status.phase).toBe('Pending');
    v.status.phase = 'Pending';
    expect(unschedulableStatusPatch(workloadFromVmi(v, { milliCpu: 0, memory: 0 }), MSG, NOW)).toBeUndefined();
  });
});
