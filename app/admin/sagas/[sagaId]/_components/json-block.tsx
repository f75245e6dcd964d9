/** A value as indented JSON, wrapped rather than scrolled so that it reads on a phone too. */
export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  return (
    <pre
      className="rounded-lg bg-gray-900 p-3 font-mono text-xs leading-relaxed break-all whitespace-pre-wrap text-gray-100"
      data-testid={testId}
    >
      {JSON.stringify(value ?? null, null, 2)}
    </pre>
  );
}
