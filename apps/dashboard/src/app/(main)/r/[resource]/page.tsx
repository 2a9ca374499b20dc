import type { Metadata } from 'next';
import { ListView } from '../../../../components/list-view';
import { kindByPlural } from '../../../../lib/kinds';

type Params = Promise<{ resource: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { resource } = await params;
  return { title: kindByPlural(resource)?.title ?? resource };
}

export default async function ListPage({ params }: { params: Params }) {
  const { resource } = await params;
  return <ListView key={resource} plural={resource} />;
}
