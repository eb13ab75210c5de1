/**
 * `dd/mm/yy hh:mm` in Israel time (Asia/Jerusalem), as SMS Leads dates replies (smsleads.txt
 * L284–330) and as its client writes `from` and `to`. Written here with Intl rather than
 * with the client's own formatter, so a test does not check the client against itself.
 */
export function israelDate(ms: number): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Asia/Jerusalem',
      year: '2-digit',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}
