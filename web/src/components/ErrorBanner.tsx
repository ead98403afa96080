// An API error in words, next to what caused it.
import { ApiError } from "../api";

export function errorText(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="error-banner" role="alert">
      {errorText(error)}
    </p>
  );
}
