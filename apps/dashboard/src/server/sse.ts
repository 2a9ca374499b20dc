// Server-Sent Events framing and newline splitting of the API's watch stream.
export function sseFrame(event: string | undefined, data: string, id?: string): string {
  let out = '';
  if (id !== undefined) out += `id: ${id}\n`;
  if (event) out += `event: ${event}\n`;
  for (const line of data.split('\n')) out += `data: ${line}\n`;
  return `${out}\n`;
}

export const sseComment = (text: string) => `: ${text}\n\n`;

/** Splits a text stream into complete lines; keeps the unfinished tail for the next chunk. */
export class LineSplitter {
  private rest = '';

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    return lines.map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '');
  }

  /** Whatever is left when the stream ends. */
  flush(): string[] {
    const last = this.rest.trim();
    this.rest = '';
    return last ? [last] : [];
  }
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/**
 * A live SSE response held open until the client goes. `open(send)` starts the feed and returns
 * how to stop it; a comment every 15 s keeps proxies from closing an idle stream. Sends after
 * the client left are dropped.
 */
export function liveSseResponse(request: Request, open: (send: (event: string, data: unknown) => void) => () => void): Response {
  const encoder = new TextEncoder();
  let closed = false;
  let unlisten = () => {};
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    closed = true;
    unlisten();
    clearInterval(heartbeat);
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const enqueue = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const off = open((event, data) => enqueue(sseFrame(event, JSON.stringify(data))));
      if (closed) off();
      else unlisten = off;
      heartbeat = setInterval(() => enqueue(sseComment('ping')), 15_000);
      request.signal.addEventListener('abort', () => {
        stop();
        try {
          controller.close();
        } catch {
          /* closed */
        }
      });
    },
    cancel: stop,
  });
  return new Response(stream, { headers: SSE_HEADERS });
}
