// ReplicaSet controller: informers → queue → reconcile(key) → planReplicaSet → apply (the
// loop shared with the VMI replica set, replicas/replica-set-controller.ts).
import { Pod, ReplicaSet, ReplicaSetStatus } from '@coxswain/api';
import { BUILTIN_RESOURCES as R } from '@coxswain/client';
import { ControllerDeps } from '../framework/controller';
import { ReplicaSetLikeController } from '../replicas/replica-set-controller';
import { planReplicaSet, podFromTemplate, replicaSetStatus } from './plan';

export const REPLICASET_CONTROLLER = 'replicaset-controller';

export class ReplicaSetController extends ReplicaSetLikeController<ReplicaSet, Pod, ReplicaSetStatus> {
  constructor(deps: ControllerDeps) {
    super(deps, {
      name: REPLICASET_CONTROLLER,
      ownerResource: R.ReplicaSet,
      childResource: R.Pod,
      ownerKind: 'ReplicaSet',
      ownerApiVersion: 'apps/v1',
      selectorOf: (rs) => rs.spec?.selector,
      childNoun: 'pod',
      plan: (rs, pods, now, expectationsSatisfied) => planReplicaSet({ rs, pods, now, expectationsSatisfied }),
      fromTemplate: podFromTemplate,
      status: replicaSetStatus,
    });
  }
}
