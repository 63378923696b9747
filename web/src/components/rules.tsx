// The scheduling rules in the words the front desk uses, and the one-click offer of the earliest date.
import { formatDate } from '../lib/time';

const RULE_TITLE: Record<string, string> = {
  R1_CONSERVATIVE_TRIAL: 'Six weeks of conservative care come first',
  R2_INJECTION_INTERVAL: 'Injections must be at least 14 days apart',
  R3_EPISODE: 'The patient needs an open care episode',
  R4_RED_FLAG: 'A red flag needs urgent surgical evaluation first',
  R5_CONSULTATION: 'Another injection in this episode needs a recorded consultation',
};

export const ruleTitle = (rule: string) => RULE_TITLE[rule] ?? rule.replace(/_/g, ' ').toLowerCase();

export interface Refusal {
  rule: string;
  message: string;
  until?: string | null | undefined;
}

export function Refusals({ items }: { items: Refusal[] }) {
  return (
    <ul className="refusals">
      {items.map((b) => (
        <li key={`${b.rule}:${b.message}`}>
          <strong>{ruleTitle(b.rule)}.</strong> {b.message}
          {b.until && <span className="muted"> (this rule allows dates from {formatDate(b.until)})</span>}
        </li>
      ))}
    </ul>
  );
}

/**
 * The earliest eligible date as one click. A date before today is offered only when the user chose a
 * past date (recording an injection given earlier); otherwise nobody should book into the past.
 */
export function EarliestOffer({
  date,
  onPick,
  verb = 'Use',
  chosen,
  today,
}: {
  date: string | null | undefined;
  onPick: (date: string) => void;
  verb?: string;
  chosen: string;
  today: string;
}) {
  if (!date) return <p className="muted">No eligible date can be offered: the reason above must be resolved first.</p>;
  if (date < today && chosen >= today) return null;
  return (
    <button type="button" className="button offer" onClick={() => onPick(date)}>
      {verb} the earliest eligible date: {formatDate(date)}
    </button>
  );
}
