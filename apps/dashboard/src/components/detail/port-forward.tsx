'use client';
// Port-forward from a Pod or Service page: the browser cannot open a port on the user's
// machine, so this shows the exact `coxctl port-forward` command per port, with a copy button.
import { useState } from 'react';
import { Obj } from '../../lib/objects';
import { portForwardCommands } from '../../lib/port-forward';

export function PortForward({ plural, obj }: { plural: string; obj: Obj }) {
  const commands = portForwardCommands(plural, obj);
  const [copied, setCopied] = useState<string>();
  if (!commands.length) return null;
  const copy = async (command: string) => {
    await navigator.clipboard?.writeText(command).catch(() => undefined);
    setCopied(command);
  };
  return (
    <ul className="stack" aria-label="Port-forward commands" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {commands.map((c) => (
        <li key={c.command} className="row">
          <span className="small muted">{c.label}</span>
          <code className="mono small">{c.command}</code>
          <button type="button" className="btn small" onClick={() => void copy(c.command)} aria-label={`Copy ${c.command}`}>
            {copied === c.command ? 'Copied' : 'Copy'}
          </button>
        </li>
      ))}
    </ul>
  );
}
