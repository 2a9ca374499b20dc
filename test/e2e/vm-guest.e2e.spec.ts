// What a VM's guest is handed on a 1-node harness cluster, KubeVirt's way: the NoCloud
// network-config carries the cluster resolver (the guest resolves the `kubernetes` Service by
// name), user-supplied networkData from a Secret replaces it, and ConfigMap/Secret volumes
// reach the guest as read-only disks it finds by serial. A KubeVirt-style containerDisk (a qcow2
// under /disk/) boots from its own disk to a shell and runs user data.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { CLUSTER_DNS_IP, DISK_VM_IMAGE, REPO_ROOT, RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, kubectl, manifest, Obj, waitFor } from './support';

jest.setTimeout(600_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 1, diskVmImage: true });
});

afterAll(async () => {
  await cluster?.stop();
});

const vmiPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances/${name}`;

/** From `prefix` to the end of the first console line holding it (the shell prompt may precede it). */
const lineFrom = (text: string, prefix: string) => {
  const line = text.split('\n').find((l) => l.includes(prefix));
  return line?.slice(line.indexOf(prefix)).trim();
};

async function consoleOf(name: string, until: string, timeoutMs = 300_000): Promise<string> {
  const vmi = await waitFor(`VMI ${name} Running`, async () => {
    const obj = await getObj(cluster, vmiPath(name));
    return obj?.status?.phase === 'Running' && obj;
  }, 180_000, 500);
  return waitFor(`console of ${name} showing ${until}`, async () => {
    const text = await readFile(join(cluster.nodes[0].root, 'v', 'vms', vmi.metadata.uid, 'console.log'), 'utf8').catch(() => '');
    return text.includes(until) && text;
  }, timeoutMs, 1000);
}

/** A tiny-vm VMI (direct kernel boot) with cloud-init and extra disks/volumes. */
function tinyVmi(name: string, cloudInit: Obj, extraDisks: Obj[] = [], extraVolumes: Obj[] = []): Obj {
  return {
    apiVersion: 'kubevirt.io/v1',
    kind: 'VirtualMachineInstance',
    metadata: { name },
    spec: {
      terminationGracePeriodSeconds: 5,
      domain: {
        cpu: { cores: 1 },
        resources: { requests: { memory: '128Mi' } },
        firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
        devices: { disks: [{ name: 'cloudinit', disk: { bus: 'virtio' } }, ...extraDisks], interfaces: [{ name: 'default', masquerade: {} }] },
      },
      networks: [{ name: 'default', pod: {} }],
      volumes: [{ name: 'cloudinit', cloudInitNoCloud: cloudInit }, ...extraVolumes],
    },
  };
}

// Prints resolv.conf on one line, each config disk's files (found by serial, as KubeVirt's
// guide does it), then the answer to a lookup of the kubernetes Service by its full name.
const USER_DATA = `#!/bin/sh
echo "resolv.conf: $(tr '\\n' '|' < /etc/resolv.conf)"
for serial in CFG1 SEC1; do
  for d in /sys/block/vd*; do [ "$(cat $d/serial 2>/dev/null)" = "$serial" ] && dev=/dev/\${d##*/}; done
  mkdir -p /mnt/$serial && mount -t iso9660 -o ro "$dev" /mnt/$serial
  echo "label $serial: $(for l in cfgdata SECRETS; do [ "$(findfs LABEL=$l 2>/dev/null)" = "$dev" ] && echo $l; done)"
  for f in /mnt/$serial/*; do echo "file $serial \${f##*/}=$(cat "$f")"; done
done
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do
  out=$(nslookup kubernetes.default.svc.cluster.local 2>&1) && break
  sleep 2
done
echo "lookup: $(echo "$out" | tr '\\n' ' ')"
echo "guest-checks-done"
`;

describe('VM guest configuration', () => {
  it('the generated network-config gives the guest the cluster resolver, and ConfigMap/Secret disks hold their keys', async () => {
    const res = await api(cluster, 'POST', '/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'app.conf': 'mode=production' } });
    expect(res.status).toBe(201);
    const sec = await api(cluster, 'POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-secret' }, stringData: { password: 's3cret' } });
    expect(sec.status).toBe(201);
    const vmi = tinyVmi('guest-a', { userData: USER_DATA },
      [{ name: 'cfg', disk: { bus: 'virtio' }, serial: 'CFG1' }, { name: 'sec', disk: { bus: 'virtio' }, serial: 'SEC1' }],
      [{ name: 'cfg', configMap: { name: 'app-config' } }, { name: 'sec', secret: { secretName: 'app-secret', volumeLabel: 'SECRETS' } }]);
    const created = await kubectl(cluster, ['create', '-f', await manifest(JSON.stringify(vmi))]);
    expect(created.stderr).toBe('');

    const text = await consoleOf('guest-a', 'guest-checks-done');
    const line = (prefix: string) => lineFrom(text, prefix);
    expect(line('resolv.conf:')).toBe(`resolv.conf: search default.svc.cluster.local svc.cluster.local cluster.local|nameserver ${CLUSTER_DNS_IP}|`);
    expect(line('file CFG1')).toBe('file CFG1 app.conf=mode=production');
    expect(line('file SEC1')).toBe('file SEC1 password=s3cret');
    expect(line('label CFG1:')).toBe('label CFG1: cfgdata');
    expect(line('label SEC1:')).toBe('label SEC1: SECRETS');
    const kubernetes = await getObj(cluster, '/api/v1/namespaces/default/services/kubernetes');
    const ip = kubernetes!.spec.clusterIP.replaceAll('.', '\\.');
    expect(line('lookup:')).toMatch(new RegExp(`Name:\\s+kubernetes\\.default\\.svc\\.cluster\\.local\\s+Address:\\s+${ip}(\\s|$)`));
  });

  it('networkData from a Secret replaces the generated network-config', async () => {
    const networkData = `version: 2\nethernets:\n  eth0:\n    nameservers:\n      addresses: [${CLUSTER_DNS_IP}]\n      search: [custom.example]\n`;
    const sec = await api(cluster, 'POST', '/api/v1/namespaces/default/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'net' }, stringData: { networkdata: networkData } });
    expect(sec.status).toBe(201);
    const vmi = tinyVmi('guest-b', { userData: '#!/bin/sh\necho "resolv.conf: $(tr \'\\n\' \'|\' < /etc/resolv.conf)"\n', networkDataSecretRef: { name: 'net' } });
    expect((await kubectl(cluster, ['create', '-f', await manifest(JSON.stringify(vmi))])).stderr).toBe('');
    const text = await consoleOf('guest-b', 'resolv.conf:');
    expect(lineFrom(text, 'resolv.conf:')).toBe(`resolv.conf: search custom.example|nameserver ${CLUSTER_DNS_IP}|`);
  });

  it('#cloud-config user data: write_files, users with ssh_authorized_keys, runcmd; what the guest cannot do is reported', async () => {
    const userData = [
      '#cloud-config',
      'write_files:',
      '  - path: /etc/app/app.conf',
      "    permissions: '0600'",
      '    content: |',
      '      mode=cloud-config',
      '      second line',
      'users:',
      '  - name: alice',
      '    ssh_authorized_keys:',
      '      - ssh-ed25519 AAAAC3Nza alice@laptop',
      'packages: [nginx]',
      'runcmd:',
      '  - echo "cc-file: $(tr \'\\n\' \'|\' < /etc/app/app.conf) mode $(stat -c %a /etc/app/app.conf)"',
      '  - [ sh, -c, \'echo "cc-user: $(grep ^alice: /etc/passwd | cut -d: -f6) keys $(cat /home/alice/.ssh/authorized_keys)"\' ]',
      '  - echo cc-done',
      '',
    ].join('\n');
    const vmi = tinyVmi('guest-cc', { userData });
    expect((await kubectl(cluster, ['create', '-f', await manifest(JSON.stringify(vmi))])).stderr).toBe('');
    const text = await consoleOf('guest-cc', 'coxswain-guest: runcmd exit');
    expect(lineFrom(text, 'cc-file:')).toBe('cc-file: mode=cloud-config|second line| mode 600');
    expect(lineFrom(text, 'cc-user:')).toBe('cc-user: /home/alice keys ssh-ed25519 AAAAC3Nza alice@laptop');
    expect(text).toContain('coxswain-guest: cloud-config: packages not supported');
    expect(text).toContain('coxswain-guest: cloud-config exit 0');
    expect(text).toContain('coxswain-guest: runcmd exit 0');
  });

  it('a disk-booted VMI without a NoCloud volume takes its address and the cluster resolver from the node\'s DHCP', async () => {
    const vmi = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { name: 'disk-dhcp' },
      spec: {
        terminationGracePeriodSeconds: 5,
        domain: { cpu: { cores: 1 }, resources: { requests: { memory: '192Mi' } }, devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] } },
        networks: [{ name: 'default', pod: {} }],
        volumes: [{ name: 'rootdisk', containerDisk: { image: DISK_VM_IMAGE } }],
      },
    };
    expect((await kubectl(cluster, ['create', '-f', await manifest(JSON.stringify(vmi))])).stderr).toBe('');
    const text = await consoleOf('disk-dhcp', 'coxswain-guest: ready');
    const running = (await getObj(cluster, vmiPath('disk-dhcp')))!;
    expect(text).not.toContain('coxswain-guest: cidata');
    expect(text).toContain(`coxswain-guest: ip ${running.status.interfaces[0].ipAddress}/24 (dhcp)`);
    expect(lineFrom(text, 'coxswain-guest: dhcp resolver')).toBe(`coxswain-guest: dhcp resolver ${CLUSTER_DNS_IP} search default.svc.cluster.local svc.cluster.local cluster.local`);
  });

  it('a VMI whose ConfigMap is missing does not start and says why', async () => {
    const vmi = tinyVmi('guest-c', { userData: '#!/bin/sh\n' }, [{ name: 'cfg', serial: 'CFG1' }], [{ name: 'cfg', configMap: { name: 'absent' } }]);
    expect((await kubectl(cluster, ['create', '-f', await manifest(JSON.stringify(vmi))])).stderr).toBe('');
    const failed = await waitFor('guest-c FailedCreate', async () => {
      const obj = await getObj(cluster, vmiPath('guest-c'));
      const ready = (obj?.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
      return ready?.reason === 'FailedCreate' && ready;
    }, 120_000, 500);
    expect(failed.message).toContain('configmap "absent" not found');
  });

  it('deploy/examples/vm-disk.yaml as-is: the containerDisk (qcow2 under /disk/) boots by itself (GRUB, Debian kernel), takes its address from network-config, reads its ConfigMap disk, resolves cluster names, gives a shell', async () => {
    const applied = await kubectl(cluster, ['apply', '-f', join(REPO_ROOT, 'deploy/examples/vm-disk.yaml')]);
    expect(applied.stdout.split('\n').filter(Boolean)).toEqual(['configmap/vm-disk-config created', 'virtualmachine.kubevirt.io/vm-disk created']);
    const text = await consoleOf('vm-disk', 'coxswain-guest: user-data exit');
    const running = (await getObj(cluster, vmiPath('vm-disk')))!;
    expect(running.spec.volumes.find((v: Obj) => v.name === 'rootdisk').containerDisk.image).toBe(DISK_VM_IMAGE);
    expect(text).toContain("Booting `Debian GNU/Linux, cloud kernel (Coxswain disk)'");
    expect(text).toContain('coxswain-initramfs: root /dev/vda1');
    expect(text).toContain(`coxswain-guest: ip ${running.status.interfaces[0].ipAddress}/`);
    expect(lineFrom(text, 'vm-disk:')).toBe('vm-disk: hello from a ConfigMap disk');
    const kubernetes = await getObj(cluster, '/api/v1/namespaces/default/services/kubernetes');
    const ip = kubernetes!.spec.clusterIP.replaceAll('.', '\\.');
    expect(text).toMatch(new RegExp(`Name:\\s+kubernetes\\.default\\.svc\\.cluster\\.local\\s+Address:\\s+${ip}\\s`));

    // The serial console through the API server: a shell answers.
    const ws = new WebSocket(`${cluster.api.url.replace('https', 'wss')}${vmiPath('vm-disk')}/console`, { headers: { authorization: `Bearer ${cluster.api.tokens.admin}` }, ca: cluster.api.ca });
    let output = '';
    ws.on('message', (data: Buffer) => (output += data.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    try {
      await waitFor('guest shell answers', async () => {
        ws.send(Buffer.from('echo disk-shell-$((40+2))\n'));
        await new Promise((r) => setTimeout(r, 1000));
        return output.includes('disk-shell-42');
      }, 60_000, 100);
    } finally {
      ws.close();
    }
  });
});
