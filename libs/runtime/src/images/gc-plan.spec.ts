import { GcInput, planGc } from './gc-plan';

const base: GcInput = {
  refs: ['a', 'b'],
  keep: new Set(['a']),
  needs: {
    a: { blobs: ['idx-a', 'man-a', 'cfg-a', 'l1', 'l2'], layers: ['l1', 'l2'] },
    b: { blobs: ['man-b', 'cfg-b', 'l1', 'l3'], layers: ['l1', 'l3'] },
  },
  pinned: { blobs: [], layers: [] },
  blobs: ['idx-a', 'man-a', 'cfg-a', 'l1', 'l2', 'man-b', 'cfg-b', 'l3', 'orphan'],
  snapshots: ['l1', 'l2', 'l3', 'l4'],
};

describe('planGc', () => {
  it.each([
    {
      name: 'drops unkept refs and content only they reach; shared layers stay',
      input: base,
      want: { removeRefs: ['b'], removeBlobs: ['man-b', 'cfg-b', 'l3', 'orphan'], removeSnapshots: ['l3', 'l4'] },
    },
    {
      name: 'keeps everything reachable when all refs are in use',
      input: { ...base, keep: new Set(['a', 'b']) },
      want: { removeRefs: [], removeBlobs: ['orphan'], removeSnapshots: ['l4'] },
    },
    {
      name: 'a mounted rootfs pins its layers even after its ref is gone',
      input: { ...base, keep: new Set<string>(), pinned: { blobs: ['man-b', 'cfg-b', 'l1', 'l3'], layers: ['l1', 'l3'] } },
      want: { removeRefs: ['a', 'b'], removeBlobs: ['idx-a', 'man-a', 'cfg-a', 'l2', 'orphan'], removeSnapshots: ['l2', 'l4'] },
    },
    {
      name: 'empty store',
      input: { refs: [], keep: new Set(['x']), needs: {}, pinned: { blobs: [], layers: [] }, blobs: [], snapshots: [] },
      want: { removeRefs: [], removeBlobs: [], removeSnapshots: [] },
    },
  ])('$name', ({ input, want }) => expect(planGc(input)).toEqual(want));
});
