// resolv.conf(5) reading and writing. Pure.

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  options: string[];
}

export function parseResolvConf(text: string): ResolvConf {
  const out: ResolvConf = { nameservers: [], searches: [], options: [] };
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const [keyword, ...values] = line.split(/\s+/);
    if (keyword === 'nameserver' && values[0]) out.nameservers.push(values[0]);
    // The last search/domain line wins, as in glibc.
    else if (keyword === 'search' || keyword === 'domain') out.searches = values;
    else if (keyword === 'options') out.options.push(...values);
  }
  return out;
}

export function formatResolvConf(conf: ResolvConf): string {
  const lines: string[] = [];
  if (conf.searches.length) lines.push(`search ${conf.searches.join(' ')}`);
  for (const server of conf.nameservers) lines.push(`nameserver ${server}`);
  if (conf.options.length) lines.push(`options ${conf.options.join(' ')}`);
  return lines.join('\n') + '\n';
}

/** Upstreams for forwarding: never ourselves (a loop) and never loopback stubs we cannot reach from other namespaces. */
export function upstreamsFrom(conf: ResolvConf, own: string[]): string[] {
  return conf.nameservers.filter((s) => !own.includes(s) && !s.includes(':'));
}
