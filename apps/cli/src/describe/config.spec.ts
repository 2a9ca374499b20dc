import { describeConfigMap, describeSecret } from './config';

const NOW = new Date('2025-06-01T12:00:00Z');
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('describe ConfigMap and Secret', () => {
  it('shows ConfigMap values and binary sizes, as kubectl', () => {
    const text = describeConfigMap({ metadata: { name: 'app', namespace: 'default' }, data: { color: 'blue', 'app.conf': 'a=1\nb=2' }, binaryData: { blob: b64('\u0000\u0001\u0002') } }, [], NOW);
    expect(text).toBe(
      'Name:         app\nNamespace:    default\nLabels:       <none>\nAnnotations:  <none>\n\nData\n====\napp.conf:\n----\na=1\nb=2\n\ncolor:\n----\nblue\n\n\nBinaryData\n====\nblob: 3 bytes\n\nEvents:  <none>\n',
    );
  });

  it('never shows Secret values, only their sizes', () => {
    const text = describeSecret({ metadata: { name: 'db', namespace: 'default', labels: { app: 'x' } }, type: 'Opaque', data: { password: b64('hunter2-abcd'), user: b64('admin') } });
    expect(text).toBe('Name:         db\nNamespace:    default\nLabels:       app=x\nAnnotations:  <none>\n\nType:  Opaque\n\nData\n====\npassword:  12 bytes\nuser:      5 bytes\n');
    expect(text).not.toContain('hunter2');
  });
});
