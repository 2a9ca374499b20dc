// The controllers' informers: libs/client's SharedInformerFactory (one informer per resource,
// shared by every controller that reads it) with the indexes the controllers look things up by.
import { controllerOf, KubeObject } from '@coxswain/api';
import { IndexFunc, SharedInformerFactory, SharedInformerFactoryOptions } from '@coxswain/client';

/** Index of objects by the uid of each owner (garbage collector). */
export const OWNER_UID_INDEX = 'ownerUid';
/** Index of objects by the uid of their controller owner. */
export const CONTROLLER_UID_INDEX = 'controllerUid';
/** Index of objects by their own uid. */
export const UID_INDEX = 'uid';
/** Index of pods and VMIs by node. */
export const NODE_INDEX = 'nodeName';

type Obj = KubeObject & { spec?: { nodeName?: string }; status?: { nodeName?: string } };

const INDEXERS: Record<string, IndexFunc<Obj>> = {
  [UID_INDEX]: (o) => (o.metadata?.uid ? [o.metadata.uid] : []),
  [OWNER_UID_INDEX]: (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid),
  [CONTROLLER_UID_INDEX]: (o) => {
    const ref = controllerOf(o);
    return ref ? [ref.uid] : [];
  },
  [NODE_INDEX]: (o) => {
    const node = o.spec?.nodeName || o.status?.nodeName;
    return node ? [node] : [];
  },
};

export type SharedInformersOptions = Omit<SharedInformerFactoryOptions, 'indexers'>;

/** libs/client's shared informer factory with the controllers' indexes on every informer. */
export class SharedInformers extends SharedInformerFactory {
  constructor(options: SharedInformersOptions) {
    super({ ...options, indexers: INDEXERS as unknown as SharedInformerFactoryOptions['indexers'] });
  }
}
