import { KubeObject } from '@coxswain/api';
import { StoreEvent } from '../storage/object-store';
import { transition } from './watch-service';

const obj = (team: string): KubeObject => ({ metadata: { name: 'x', labels: { team } } });
const red = (o: KubeObject) => o.metadata.labels?.team === 'red';

describe('watch transition with selectors', () => {
  it.each<[string, StoreEvent, string | undefined]>([
    ['added and selected', { type: 'ADDED', object: obj('red'), revision: 1 }, 'ADDED'],
    ['added, not selected', { type: 'ADDED', object: obj('blue'), revision: 1 }, undefined],
    ['modified within selection', { type: 'MODIFIED', object: obj('red'), previous: obj('red'), revision: 2 }, 'MODIFIED'],
    ['moved into selection', { type: 'MODIFIED', object: obj('red'), previous: obj('blue'), revision: 2 }, 'ADDED'],
    ['moved out of selection', { type: 'MODIFIED', object: obj('blue'), previous: obj('red'), revision: 2 }, 'DELETED'],
    ['modified outside selection', { type: 'MODIFIED', object: obj('blue'), previous: obj('blue'), revision: 2 }, undefined],
    ['deleted, was selected', { type: 'DELETED', object: obj('red'), revision: 3 }, 'DELETED'],
    ['deleted, was not selected', { type: 'DELETED', object: obj('blue'), revision: 3 }, undefined],
  ])('%s', (_name, event, expected) => expect(transition(event, red)).toBe(expected));
});
