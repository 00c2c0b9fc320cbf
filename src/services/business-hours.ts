/**
 * Whether livechat is within its opening hours at an instant. The week is given as "HH:MM-HH:MM" intervals per
 * weekday in an IANA time zone; the wall-clock day and time there come from Intl, so daylight-saving changes
 * need no special handling.
 */
import type { ConfigSnapshot } from '../config/index.js';

type BusinessHours = ConfigSnapshot['livechat']['businessHours'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export function isOpenNow(hours: BusinessHours, at: Date): boolean {
  if (!hours.enabled) return true;
  const { day, minutes } = wallClock(at, hours.timezone);
  const intervals = hours.week[day] ?? [];
  return intervals.some((interval) => {
    const [start, end] = interval.split('-').map(toMinutes) as [number, number];
    return minutes >= start && minutes < end;
  });
}

function wallClock(at: Date, timeZone: string): { day: (typeof DAYS)[number]; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: part('weekday').toLowerCase() as (typeof DAYS)[number], minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
