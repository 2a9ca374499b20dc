// ConfigMap and Secret rows, as kube-apiserver's printers (DATA counts keys, never values).
import type { ConfigMap, Secret } from '../types/config';
import { AGE_COLUMN, column, NAME_COLUMN, Printer } from './columns';
import { timestampSince } from './duration';

const keys = (map: Record<string, string> | undefined): number => Object.keys(map ?? {}).length;

export const configMapPrinter: Printer<ConfigMap> = {
  columns: [NAME_COLUMN, column('Data', 'string', 'Data contains the configuration data.'), AGE_COLUMN],
  row: (cm, nowMs) => ({ cells: [cm.metadata?.name ?? '', keys(cm.data) + keys(cm.binaryData), timestampSince(cm.metadata?.creationTimestamp, nowMs)] }),
};

export const secretPrinter: Printer<Secret> = {
  columns: [
    NAME_COLUMN,
    column('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    column('Data', 'string', 'Data contains the secret data.'),
    AGE_COLUMN,
  ],
  row: (s, nowMs) => ({ cells: [s.metadata?.name ?? '', s.type ?? 'Opaque', keys(s.data), timestampSince(s.metadata?.creationTimestamp, nowMs)] }),
};
