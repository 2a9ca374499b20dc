import { CompareView } from '../../../components/compare-view';

export default function ComparePage() {
  return <CompareView />;
}
