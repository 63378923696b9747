// The scheduling rules in the words the front desk uses, and the one-click offer of the earliest date.
import { formatDate } from '../lib/time';

const RULE_TITLE: Record<string, string> = {
  R1_CONSERVATIVE_TRIAL: 'Six weeks of conservative care come first',
  R2_INJECTION_INTERVAL: 'Injections must be at least 14 days apart',
  R3_EPISODE: 'The patient needs an open care episode',
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

export function EarliestOffer({
  date,
  onPick,
  verb = 'Use',
}: {
  date: string | null | undefined;
  onPick: (date: string) => void;
  verb?: string;
}) {
  if (!date) return <p className="muted">No eligible date could be found for this patient.</p>;
  return (
    <button type="button" className="button offer" onClick={() => onPick(date)}>
      {verb} the earliest eligible date: {formatDate(date)}
    </button>
  );
}
