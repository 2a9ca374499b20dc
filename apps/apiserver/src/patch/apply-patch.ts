// Applies a PATCH body to the current object by its content type.
import { applyPatch as applyJsonPatch, Operation } from 'fast-json-patch';
import { badRequest, StatusError, unsupportedMediaType } from '@coxswain/api';
import { strategicMergePatch } from './strategic-merge';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function patchTypeOf(mediaType: string): PatchType {
  switch (mediaType) {
    case 'application/json-patch+json':
      return 'json';
    case 'application/merge-patch+json':
      return 'merge';
    case 'application/strategic-merge-patch+json':
      return 'strategic';
    case 'application/apply-patch+yaml':
    case 'application/apply-patch+json':
      return 'apply';
    default:
      throw unsupportedMediaType(mediaType);
  }
}

/** RFC 7386 JSON merge patch. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export function applyPatch(type: PatchType, current: unknown, patch: unknown): unknown {
  switch (type) {
    case 'json': {
      if (!Array.isArray(patch)) throw badRequest('a JSON patch must be a list of operations');
      try {
        return applyJsonPatch(structuredClone(current), patch as Operation[], true, false).newDocument;
      } catch (error) {
        if (error instanceof StatusError) throw error;
        throw new StatusError({
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          reason: 'Invalid',
          code: 422,
          message: `the server rejected our request due to an error in our request: ${(error as Error).message.split('\n')[0]}`,
        });
      }
    }
    case 'merge':
      if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw badRequest('a merge patch must be a JSON object');
      return mergePatch(current, patch);
    case 'strategic':
    case 'apply':
      // Server-side apply is served as a strategic merge of the applied configuration: field
      // ownership (managedFields) is not tracked.
      return strategicMergePatch(current, patch);
  }
}
