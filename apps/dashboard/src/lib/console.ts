// The browser's console websocket address and the relay's control messages.
export function consoleUrl(location: { protocol: string; host: string }, namespace: string, name: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/console/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

export function parseControl(text: string): { type: 'error' | 'closed'; message: string } | undefined {
  try {
    const msg = JSON.parse(text) as { type?: string; message?: string };
    if (msg.type === 'error' || msg.type === 'closed') return { type: msg.type, message: msg.message ?? msg.type };
  } catch {
    /* not a control message */
  }
  return undefined;
}
