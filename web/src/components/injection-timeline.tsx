// The injection history on a date axis, hand-drawn in SVG: each injection as a marker (filled =
// performed, hollow = booked, cross = cancelled or no-show), the days between counted injections as
// brackets, and pain before → after above each injection that has an outcome.
import { levelsText } from './badges';
import { useCallback, useState } from 'react';
import type { HistoryItem } from '../api/types';
import { addDays, daysBetween, formatDate } from '../lib/time';

const H = 250;
const LEFT = 46;
const RIGHT = 20;
const PAIN_TOP = 22;
const PAIN_BOTTOM = 112;
const TRACK = 160;
const AXIS = 186;

const counted = (i: HistoryItem) => i.status === 'scheduled' || i.status === 'completed';

/**
 * The drawing is laid out at the width it is shown at (not scaled from a fixed viewBox), so its text
 * keeps its size from a tablet to a wide screen.
 */
function useWidth(fallback: number): [(el: HTMLElement | null) => (() => void) | undefined, number] {
  const [width, setWidth] = useState(fallback);
  const ref = useCallback((el: HTMLElement | null) => {
    if (!el || typeof ResizeObserver === 'undefined') return undefined;
    const ro = new ResizeObserver((entries) => {
      const w = Math.round(entries[0]?.contentRect.width ?? 0);
      if (w > 0) setWidth(w);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

/** First days of months within the range, thinned so labels stay at least `minPx` apart. */
function monthTicks(from: string, to: string, pxPerDay: number, minPx = 72): string[] {
  const ticks: string[] = [];
  let [y = 0, m = 1] = from.split('-').map(Number);
  for (;;) {
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
    const d = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
    if (d > to) break;
    ticks.push(d);
  }
  // A short span shows mid-month ticks too, so the axis always has a few dates on it.
  if (ticks.length < 3) {
    const mids = [from.slice(0, 8) + '15', ...ticks.map((t) => t.slice(0, 8) + '15')].filter((d) => d > from && d < to);
    return [...ticks, ...mids].sort();
  }
  const every = Math.max(1, Math.ceil(minPx / (pxPerDay * 30.4)));
  return ticks.filter((_, k) => k % every === 0);
}

/** Date labels of injections close together alternate between two rows so they never overlap. */
export function labelRows(xs: number[], minGap = 56): number[] {
  const rows: number[] = [];
  let prev = -Infinity;
  let row = 0;
  for (const lx of xs) {
    row = lx - prev < minGap ? 1 - row : 0;
    prev = lx;
    rows.push(row);
  }
  return rows;
}

export function InjectionTimeline({ items, today }: { items: HistoryItem[]; today: string }) {
  const [ref, measured] = useWidth(900);
  const W = Math.max(520, measured);
  const dates = items.map((i) => i.localDate);
  const first = dates.reduce((a, b) => (a < b ? a : b), today);
  const last = dates.reduce((a, b) => (a > b ? a : b), today);
  let from = addDays(first, -7);
  let to = addDays(last, 7);
  const span = daysBetween(from, to);
  if (span < 42) {
    from = addDays(from, -Math.floor((42 - span) / 2));
    to = addDays(to, Math.ceil((42 - span) / 2));
  }
  const total = daysBetween(from, to);
  const x = (d: string) => LEFT + ((W - LEFT - RIGHT) * daysBetween(from, d)) / total;
  const painY = (p: number) => PAIN_BOTTOM - ((PAIN_BOTTOM - PAIN_TOP) * p) / 10;

  const countedItems = items.filter(counted);
  const intervals = countedItems.slice(1).map((b, k) => {
    const a = countedItems[k] as HistoryItem;
    return { a, b, days: b.daysSincePrevious ?? daysBetween(a.localDate, b.localDate) };
  });
  const rows = labelRows(items.map((i) => x(i.localDate)));
  const labels = items.map((i, k) => ({ i, lx: x(i.localDate), ly: AXIS + 32 + (rows[k] ?? 0) * 14 }));
  const describe =
    `${items.length} injection${items.length === 1 ? '' : 's'} from ${formatDate(first)} to ${formatDate(last)}` +
    (intervals.length ? `; ${intervals.map((v) => `${v.days} days`).join(', ')} between injections` : '');

  return (
    <figure className="timeline" ref={ref}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby="tl-title" aria-describedby="tl-desc" preserveAspectRatio="xMidYMid meet">
        <title id="tl-title">Injection timeline</title>
        <desc id="tl-desc">{describe}</desc>
        {/* pain scale */}
        {[0, 5, 10].map((p) => (
          <g key={p}>
            <line x1={LEFT} x2={W - RIGHT} y1={painY(p)} y2={painY(p)} className="grid" />
            <text x={LEFT - 8} y={painY(p) + 4} className="tick" textAnchor="end">
              {p}
            </text>
          </g>
        ))}
        <text x={8} y={PAIN_TOP - 8} className="axis-title">
          Pain
        </text>
        {/* today */}
        <line x1={x(today)} x2={x(today)} y1={PAIN_TOP - 6} y2={AXIS} className="today" />
        <text x={x(today) + 4} y={PAIN_TOP - 8} className="today-label">
          today
        </text>
        {/* date axis */}
        <line x1={LEFT} x2={W - RIGHT} y1={AXIS} y2={AXIS} className="axis" />
        {monthTicks(from, to, (W - LEFT - RIGHT) / total).map((d) => (
          <g key={d}>
            <line x1={x(d)} x2={x(d)} y1={AXIS} y2={AXIS + 5} className="axis" />
            <text x={x(d)} y={AXIS + 17} className="tick" textAnchor="middle">
              {formatDate(d, d.endsWith('-01') ? { month: 'short', year: 'numeric' } : { month: 'short', day: 'numeric' })}
            </text>
          </g>
        ))}
        {/* intervals between counted injections */}
        {intervals.map(({ a, b, days }) => {
          const x1 = x(a.localDate);
          const x2 = x(b.localDate);
          return (
            <g key={`${a.id}-${b.id}`} className={days < 14 ? 'interval short' : 'interval'}>
              <path d={`M${x1 + 7},${TRACK - 8} L${x1 + 7},${TRACK - 16} L${x2 - 7},${TRACK - 16} L${x2 - 7},${TRACK - 8}`} />
              <text x={(x1 + x2) / 2} y={TRACK - 21} textAnchor="middle">
                {days} d
              </text>
            </g>
          );
        })}
        {/* pain before → after */}
        {items.map((i) =>
          i.outcome ? (
            <g key={`pain-${i.id}`} className="pain">
              <title>{`${formatDate(i.localDate)}: pain ${i.outcome.painBefore} → ${i.outcome.painAfter} (${i.outcome.percentImprovement}% better)`}</title>
              <line x1={x(i.localDate)} x2={x(i.localDate)} y1={painY(i.outcome.painBefore)} y2={painY(i.outcome.painAfter)} />
              <circle cx={x(i.localDate)} cy={painY(i.outcome.painBefore)} r={5} className="before" />
              <circle cx={x(i.localDate)} cy={painY(i.outcome.painAfter)} r={5} className="after" />
              <text x={x(i.localDate) + 9} y={(painY(i.outcome.painBefore) + painY(i.outcome.painAfter)) / 2 + 4} className="pain-label">
                {i.outcome.painBefore}→{i.outcome.painAfter}
              </text>
            </g>
          ) : null,
        )}
        {/* injections */}
        {items.map((i) => (
          <g key={i.id} className={`marker marker-${i.status}`}>
            <title>{`${formatDate(i.localDate)}: ${levelsText(i.levels)} ${i.side}, ${i.status.replace('_', '-')}`}</title>
            {counted(i) ? (
              <circle cx={x(i.localDate)} cy={TRACK} r={7} />
            ) : (
              <path d={`M${x(i.localDate) - 5},${TRACK - 5} l10,10 m0,-10 l-10,10`} />
            )}
          </g>
        ))}
        {labels.map(({ i, lx, ly }) => (
          <text key={`l-${i.id}`} x={lx} y={ly} className="date-label" textAnchor="middle">
            {formatDate(i.localDate, { month: 'short', day: 'numeric' })}
          </text>
        ))}
      </svg>
      <figcaption className="legend">
        <span>
          <i className="dot completed" /> performed
        </span>
        <span>
          <i className="dot scheduled" /> booked
        </span>
        <span>
          <i className="cross" />
          cancelled / no-show
        </span>
        <span>
          <i className="dot before" /> pain before
        </span>
        <span>
          <i className="dot after" /> pain after
        </span>
        <span>brackets: days between injections</span>
      </figcaption>
    </figure>
  );
}
