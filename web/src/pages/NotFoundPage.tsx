export function NotFoundPage({ path }: { path: string }) {
  return (
    <main className="page narrow">
      <h1>Not found</h1>
      <p>
        Nothing lives at <code>{path}</code>. <a href="/">Back to workflows</a>
      </p>
    </main>
  );
}
