// Events for every controller decision, through libs/client's EventRecorder (client-go's
// recorder: one object per (object, type, reason, message), its count bumped when the same
// thing happens again; writes in the background so reconciles never wait on them), and an
// in-memory recorder for tests.
import { KubeObject } from '@coxswain/api';
import { EventRecorder as ClientEventRecorder, EventRecorderOptions, EventType } from '@coxswain/client';

export type { EventType };

export interface EventRecorder {
  event(obj: KubeObject, type: EventType, reason: string, message: string): void;
}

export interface RecordedEvent {
  kind?: string;
  namespace?: string;
  name?: string;
  type: EventType;
  reason: string;
  message: string;
}

/** Keeps events in memory; for tests and for running without an API. */
export class MemoryRecorder implements EventRecorder {
  readonly events: RecordedEvent[] = [];
  event(obj: KubeObject, type: EventType, reason: string, message: string): void {
    this.events.push({ kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name, type, reason, message });
  }
  reasons(): string[] {
    return this.events.map((e) => e.reason);
  }
}

export type ApiRecorderOptions = Pick<EventRecorderOptions, 'client' | 'component' | 'instance' | 'clock' | 'logger'>;

/**
 * libs/client's recorder as controllers use it: every repeat is written at once (a count a
 * test or a user can rely on), one write at a time so events land in decision order.
 */
export class ApiEventRecorder extends ClientEventRecorder {
  constructor(options: ApiRecorderOptions) {
    super({ minRepeatIntervalMs: 0, concurrency: 1, ...options });
  }
}
