// "Still waiting…" feedback for long waits: a spinner line on a terminal's stderr (cleared
// when done), nothing when stderr is a pipe or file so scripts read clean output.
import { OutStream } from '../io';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export interface Progress {
  update(message: string): void;
  done(): void;
}

export function startProgress(stream: OutStream, message: string, options: { delayMs?: number; now?: () => number } = {}): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const now = options.now ?? Date.now;
  const started = now();
  let text = message;
  let frame = 0;
  let shown = false;
  const timer = setInterval(() => {
    if (now() - started < (options.delayMs ?? 1000)) return;
    shown = true;
    const secs = Math.floor((now() - started) / 1000);
    stream.write(`\r\x1b[2K${FRAMES[frame++ % FRAMES.length]} ${text} (${secs}s)`);
  }, 150);
  timer.unref?.();
  return {
    update(next: string) {
      text = next;
    },
    done() {
      clearInterval(timer);
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}
