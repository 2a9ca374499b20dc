// Applies decideEviction: reads the target and the namespace's budgets, spends a disruption
// with a revision-guarded status write (a concurrent eviction re-reads and decides again),
// then deletes gracefully.
import { PodDisruptionBudget, resourceForKind, StatusError } from '@coxswain/api';
import { RequestContext } from './context';
import { decideEviction } from './eviction';
import { ResourceService } from './resource-service';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PDB = resourceForKind('PodDisruptionBudget', 'policy/v1')!;
const RETRIES = 8;

export async function evictWithBudget(resources: ResourceService, ctx: RequestContext, body: unknown): Promise<void> {
  const deleteOptions = (body as Obj)?.deleteOptions;
  for (let attempt = 0; ; attempt++) {
    const target = await resources.load(ctx.resource, ctx.info.namespace, ctx.info.name!);
    const list = await resources.list({ ...ctx, resource: PDB, info: { ...ctx.info, name: undefined, subresource: undefined }, query: new URLSearchParams() });
    const decision = decideEviction({ ...target, kind: ctx.resource.kind }, list.items as PodDisruptionBudget[], ctx.now);
    if (decision.kind === 'reject') throw decision.error;
    if (decision.kind === 'spend') {
      const budget = decision.budget;
      try {
        await resources.mutate(PDB, budget.metadata.namespace, budget.metadata.name!, (current) => {
          if (current.metadata.resourceVersion !== budget.metadata.resourceVersion) throw new RetryEviction();
          return { ...current, status: decision.status };
        });
      } catch (error) {
        if ((error instanceof RetryEviction || (error instanceof StatusError && error.reason === 'Conflict')) && attempt < RETRIES) continue;
        throw error;
      }
    }
    await resources.delete(ctx, deleteOptions);
    return;
  }
}

class RetryEviction extends Error {}
