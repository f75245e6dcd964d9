/** The shop's own unicorn colour: the logo's, and any unicorn whose product is no longer in the catalogue. */
export const HOUSE_UNICORN_COLOUR = "#f0abfc";

/** A unicorn drawn in the product's colour: no image files, no outside requests. */
export function UnicornArt({ colour, className }: { colour: string; className?: string }) {
  return (
    <svg viewBox="0 0 120 120" className={className} role="img" aria-hidden="true">
      <rect width="120" height="120" rx="16" fill={colour} opacity="0.25" />
      <path d="M70 14 L62 44 L72 44 Z" fill="#fbbf24" stroke="#b45309" strokeWidth="1.5" strokeLinejoin="round" />
      <path
        d="M40 104 C36 86 38 70 46 58 C52 48 60 44 70 44 C80 44 90 50 94 60 C97 67 92 72 86 70 C82 69 78 66 74 66 C70 76 72 90 80 104 Z"
        fill="#ffffff"
        stroke="#6b7280"
        strokeWidth="2"
        strokeLinejoin="round"
      />
      <path d="M58 46 C46 50 38 62 36 78 C42 70 48 64 56 60 C50 72 48 84 50 96 C54 80 60 68 66 60 Z" fill={colour} />
      <circle cx="78" cy="56" r="3" fill="#1f2937" />
      <path d="M92 64 C90 66 88 66 86 65" stroke="#6b7280" strokeWidth="1.5" fill="none" strokeLinecap="round" />
    </svg>
  );
}
