/**
 * A failure shown above what it concerns, as a banner (role="alert" makes
 * screen readers read it out as it appears); nothing while there is none.
 */
export function ErrorBanner({ message, testId }: { message: string | null | undefined; testId?: string }) {
  if (!message) return null;
  return (
    <p className="banner banner-error" role="alert" data-testid={testId}>
      {message}
    </p>
  );
}
