// Dates and money the way the tenant writes them (config.date_format, config.currency). The
// date formats are the contract's DateFormat: "YYYY-MM-DD", "MM/DD/YYYY", "DD/MM/YYYY",
// "DD.MM.YYYY", "D MMM YYYY" — tokens YYYY, MMM, MM, DD, D; anything else is literal.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const pad = (n: number) => String(n).padStart(2, "0");

/** A calendar date ("2026-11-22") or a timestamp as a local date, in the tenant's pattern. */
export function formatDate(value: string | null | undefined, pattern = "MM/DD/YYYY"): string {
  if (!value) return "";
  const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = dateOnly ? new Date(Number(dateOnly[1]), Number(dateOnly[2]) - 1, Number(dateOnly[3])) : new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const tokens: Record<string, string> = {
    YYYY: String(date.getFullYear()),
    MMM: MONTHS[date.getMonth()] ?? "",
    MM: pad(date.getMonth() + 1),
    DD: pad(date.getDate()),
    D: String(date.getDate()),
  };
  return pattern.replace(/YYYY|MMM|MM|DD|D/g, (t) => tokens[t] ?? t);
}

/** A timestamp as the tenant's date plus the local time ("22.11.2026 14:05"). */
export function formatDateTime(value: string | null | undefined, pattern = "MM/DD/YYYY"): string {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return `${formatDate(value, pattern)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A decimal string ("1250.00") in the tenant's currency; an unknown currency code falls back
 * to the plain number with the code. */
export function formatMoney(value: string | number | null | undefined, currency = "USD", locale?: string): string {
  if (value === null || value === undefined || value === "") return "";
  const amount = Number(value);
  if (!Number.isFinite(amount)) return String(value);
  try {
    return new Intl.NumberFormat(locale, { style: "currency", currency }).format(amount);
  } catch {
    return `${amount.toFixed(2)} ${currency}`;
  }
}
