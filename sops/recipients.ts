// Recipient lists as sops reads them: text only, so that reading .sops.yaml (diff, validate) does
// not load the age library.

/** Splits comma-separated recipient lists the way sops does (trimmed, empties dropped, deduplicated). */
export function splitRecipients(list: readonly string[] | string): string[] {
  const parts = (typeof list === 'string' ? [list] : list).flatMap((r) => r.split(','));
  return [...new Set(parts.map((r) => r.trim()).filter(Boolean))];
}
