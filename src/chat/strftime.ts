// Python's strftime for the directives chat templates use (Llama 3.1+ prints "Today Date: 26 Jul 2024").
// Pure: the date comes from the caller (the CLI owns the clock). Local-time fields, English names, as the C locale.

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export function strftime(date: Date, format: string): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  const hour12 = date.getHours() % 12 === 0 ? 12 : date.getHours() % 12;
  const startOfYear = new Date(date.getFullYear(), 0, 1);
  const dayOfYear = Math.floor((date.getTime() - startOfYear.getTime()) / 86_400_000) + 1;
  const fields: Record<string, string> = {
    Y: String(date.getFullYear()),
    y: pad(date.getFullYear() % 100),
    m: pad(date.getMonth() + 1),
    B: MONTHS[date.getMonth()] as string,
    b: (MONTHS[date.getMonth()] as string).slice(0, 3),
    d: pad(date.getDate()),
    e: String(date.getDate()).padStart(2, ' '),
    A: DAYS[date.getDay()] as string,
    a: (DAYS[date.getDay()] as string).slice(0, 3),
    H: pad(date.getHours()),
    I: pad(hour12),
    M: pad(date.getMinutes()),
    S: pad(date.getSeconds()),
    p: date.getHours() < 12 ? 'AM' : 'PM',
    j: pad(dayOfYear, 3),
    '%': '%',
  };
  return format.replace(/%(.)/g, (directive, letter: string) => fields[letter] ?? directive);
}
