// describe for ConfigMap and Secret, as kubectl's describers: ConfigMap values are shown,
// Secret values never — only their sizes ("password:  11 bytes").
import { Obj } from '../types';
import { DescribeWriter, writeAnnotations, writeEvents, writeMap } from './writer';

const decodedLength = (b64: string): number => Buffer.from(b64, 'base64').length;

function header(w: DescribeWriter, obj: Obj): void {
  w.write(0, `Name:\t${obj.metadata?.name}\n`);
  w.write(0, `Namespace:\t${obj.metadata?.namespace ?? ''}\n`);
  writeMap(w, 0, 'Labels', obj.metadata?.labels);
  writeAnnotations(w, 0, obj.metadata?.annotations);
}

export function describeConfigMap(cm: Obj, events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  header(w, cm);
  w.write(0, '\nData\n====\n');
  for (const key of Object.keys(cm.data ?? {}).sort()) {
    w.write(0, `${key}:\n----\n`);
    w.write(0, `${cm.data[key]}\n`);
    w.write(0, '\n');
  }
  w.write(0, '\nBinaryData\n====\n');
  for (const key of Object.keys(cm.binaryData ?? {}).sort()) w.write(0, `${key}: ${decodedLength(cm.binaryData[key])} bytes\n`);
  w.write(0, '\n');
  writeEvents(w, events, now);
  return w.toString();
}

export function describeSecret(secret: Obj): string {
  const w = new DescribeWriter();
  header(w, secret);
  w.write(0, `\nType:\t${secret.type ?? 'Opaque'}\n`);
  w.write(0, '\nData\n====\n');
  for (const key of Object.keys(secret.data ?? {}).sort()) {
    // kubectl shows only a service account token itself; every other value is a size.
    if (key === 'token' && secret.type === 'kubernetes.io/service-account-token') w.write(0, `${key}:\t${Buffer.from(secret.data[key], 'base64').toString()}\n`);
    else w.write(0, `${key}:\t${decodedLength(secret.data[key])} bytes\n`);
  }
  return w.toString();
}
