import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="login">
      <div className="card">
        <div className="card-body empty">
          <strong>Page not found</strong>
          <span>There is no dashboard page at this address.</span>
          <Link className="btn primary" href="/">
            Go to the overview
          </Link>
        </div>
      </div>
    </main>
  );
}
