// Amounts are typed in the currency's major unit ("1,250.50" dollars, "1250" yen) and stored in integer minor units
// (cents), using the currency's own number of decimals; no floating-point arithmetic touches the amount.

/** The currency's number of decimals (USD 2, JPY 0, BHD 3), or undefined for a code Intl does not know. */
export function fractionDigits(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits;
  } catch {
    return undefined;
  }
}

/** The text for the amount field of a stored amount: 125050 USD → "1250.50". */
export function moneyInputValue(amountMinor: number, currency: string): string {
  const digits = fractionDigits(currency) ?? 2;
  if (digits === 0) return String(amountMinor);
  const text = String(amountMinor).padStart(digits + 1, "0");
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * Minor units of a typed amount, or the reason it cannot be read. Grouping with commas, spaces or apostrophes is
 * accepted ("1,250.50"); a single comma followed by digits only ("1250,50") is read as the decimal separator.
 */
export function parseMoneyInput(text: string, currency: string): { minor: number } | { reason: string } {
  const digits = fractionDigits(currency);
  if (digits === undefined) return { reason: "choose a currency first" };
  let t = text.trim().replace(/[\s'_]/g, "");
  if (t === "") return { reason: "enter an amount" };
  if (/^\d+,\d+$/.test(t) && !/^\d{1,3}(,\d{3})+$/.test(t)) t = t.replace(",", ".");
  else t = t.replace(/,(?=\d{3}(\D|$))/g, "");
  const m = /^(\d+)(?:\.(\d*))?$/.exec(t);
  if (!m) return { reason: "enter an amount such as 1250.50, without the currency sign" };
  const fraction = m[2] ?? "";
  if (fraction.length > digits) {
    return {
      reason:
        digits === 0
          ? `${currency} has no decimal places`
          : `${currency} has ${digits} decimal places at most`,
    };
  }
  const minor = Number(m[1]! + fraction.padEnd(digits, "0"));
  if (!Number.isSafeInteger(minor)) return { reason: "the amount is too large" };
  return { minor };
}
