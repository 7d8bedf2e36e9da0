/**
 * What the message log shows of a recipient: enough for an operator to recognise it
 * ("j***n@example.com", "+33******78"), not enough to harvest addresses or numbers.
 */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '***';
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  const shown = local.length <= 2 ? `${local[0]}***` : `${local[0]}***${local[local.length - 1]}`;
  return `${shown}@${domain}`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length < 6) return '***';
  const prefix = digits.startsWith('+') ? digits.slice(0, 3) : digits.slice(0, 2);
  return `${prefix}${'*'.repeat(Math.max(3, digits.length - prefix.length - 2))}${digits.slice(-2)}`;
}
