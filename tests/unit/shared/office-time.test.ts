import { afterEach, describe, expect, it } from 'vitest';
import { formatOfficeTime } from '../../../shared/text/office-time';

const machineZone = process.env.TZ;

afterEach(() => {
  if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
});

describe('office time on printed forms', () => {
  it('shows an instant as Beijing wall-clock time in Chinese', () => {
    expect(formatOfficeTime('2026-12-03T06:05:00.000Z')).toBe('2026年12月3日 14:05');
    expect(formatOfficeTime('2026-12-03T14:05:00+08:00')).toBe('2026年12月3日 14:05');
  });

  it('rolls over to the next day and year in Beijing, and prints midnight as 00', () => {
    expect(formatOfficeTime('2026-12-31T16:30:00Z')).toBe('2027年1月1日 00:30');
    expect(formatOfficeTime('2026-05-19T16:00:00Z')).toBe('2026年5月20日 00:00');
  });

  it('does not depend on the zone of the machine that prints', () => {
    for (const zone of ['UTC', 'America/New_York', 'Pacific/Kiritimati']) {
      process.env.TZ = zone;
      expect(formatOfficeTime('2026-12-03T06:05:00Z')).toBe('2026年12月3日 14:05');
      // No zone: office wall-clock time as written, not read in the machine's zone.
      expect(formatOfficeTime('2026-12-03T14:05')).toBe('2026年12月3日 14:05');
    }
  });

  it('prints an office-local date as written', () => {
    expect(formatOfficeTime('2021-05-20')).toBe('2021年5月20日');
    expect(formatOfficeTime('2021-05-20T09:30')).toBe('2021年5月20日 09:30');
  });

  it('can show another zone when asked', () => {
    expect(formatOfficeTime('2026-12-03T06:05:00Z', 'UTC')).toBe('2026年12月3日 06:05');
  });

  it('leaves nothing for nothing, and text it cannot read unchanged rather than guessing', () => {
    expect(formatOfficeTime(null)).toBe('');
    expect(formatOfficeTime('')).toBe('');
    expect(formatOfficeTime('2021-02-30')).toBe('2021-02-30');
    expect(formatOfficeTime('2021-05-20T25:00')).toBe('2021-05-20T25:00');
    expect(formatOfficeTime('去年秋天')).toBe('去年秋天');
  });
});
