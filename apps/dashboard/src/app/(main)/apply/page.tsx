import type { Metadata } from 'next';
import { ApplyView } from '../../../components/apply-view';

export const metadata: Metadata = { title: 'Apply YAML' };

export default function ApplyPage() {
  return <ApplyView />;
}
