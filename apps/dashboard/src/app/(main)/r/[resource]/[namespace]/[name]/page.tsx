import type { Metadata } from 'next';
import { DetailView } from '../../../../../../components/detail/detail-view';

type Params = Promise<{ resource: string; namespace: string; name: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { resource, name } = await params;
  return { title: `${decodeURIComponent(name)} · ${resource}` };
}

export default async function DetailPage({ params }: { params: Params }) {
  const { resource, namespace, name } = await params;
  return <DetailView key={`${resource}/${namespace}/${name}`} plural={resource} namespace={decodeURIComponent(namespace)} name={decodeURIComponent(name)} />;
}
