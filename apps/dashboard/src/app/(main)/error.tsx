'use client';
// A view crashed: say so, keep the navigation, and offer a retry.
import { ErrorState } from '../../components/ui';

export default function ViewError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="page-body" style={{ paddingTop: 32 }}>
      <ErrorState title="This view failed" message={error.message}>
        <button type="button" className="btn" onClick={reset}>
          Try again
        </button>
      </ErrorState>
    </div>
  );
}
