// API keys (administrators): issue a key for a role and show its secret once, with a copy button;
// list keys with when they were last used (when the server records it); revoke with a confirmation.
import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ApiKey, IssuedKey, Role } from '../api/types';
import { useAuth, useCan } from '../auth/auth-context';
import { ROLE_LABEL } from '../auth/permissions';
import { Empty, ErrorNote, FieldError, Loading, Notice } from '../components/status';
import { announce, PageHeading } from '../lib/a11y';
import { useClinicZone } from '../lib/clinic-zone';
import { keys } from '../lib/query';
import { formatDateTime } from '../lib/time';
import { useLoad } from '../lib/use-load';
import { useSubmit } from '../lib/use-submit';

const ROLES: Role[] = ['front_desk', 'clinician', 'auditor', 'admin'];

/** `lastUsedAt` and `expiresAt` are read when the server sends them (older servers do not). */
type Listed = ApiKey & { lastUsedAt?: string | null; expiresAt?: string | null };

export function KeysView() {
  const { api } = useAuth();
  const can = useCan();
  const { zone } = useClinicZone();
  const allowed = can('keys.manage');
  const list = useLoad(allowed ? keys.apiKeys() : null, (signal) => api.apiKeys(signal));
  const [issued, setIssued] = useState<IssuedKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (!allowed)
    return (
      <section aria-labelledby="keys-title">
        <PageHeading id="keys-title" title="API keys" />
        <p className="state state-error">Only administrators manage API keys.</p>
      </section>
    );

  const items = (list.data?.items ?? []) as Listed[];
  return (
    <section aria-labelledby="keys-title">
      <div className="view-head">
        <div>
          <PageHeading id="keys-title" title="API keys" />
          <p className="muted">Each member of staff signs in with a key of their own. A revoked key is refused from its next request on.</p>
        </div>
      </div>
      {notice && <Notice>{notice}</Notice>}
      <IssueForm
        onIssued={(k) => {
          setIssued(k);
          setNotice(null);
        }}
      />
      {issued && <IssuedSecret issued={issued} onDone={() => setIssued(null)} />}
      <div className="card">
        <h2>Keys</h2>
        {list.error !== undefined ? (
          <ErrorNote error={list.error} onRetry={list.reload} />
        ) : !list.data ? (
          <Loading what="the keys" />
        ) : items.length === 0 ? (
          <Empty>No keys issued yet.</Empty>
        ) : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="API keys table">
            <table className="table keys">
              <caption className="sr-only">API keys, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Starts with</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Last used</th>
                  <th scope="col">State</th>
                  <th scope="col">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((k) => (
                  <KeyRow key={k.id} k={k} zone={zone} onRevoked={(msg) => setNotice(msg)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </section>
  );
}

function IssueForm({ onIssued }: { onIssued: (k: IssuedKey) => void }) {
  const { api } = useAuth();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('front_desk');
  const [missing, setMissing] = useState(false);
  const { busy, error, submit } = useSubmit(
    async (idem) => {
      const body = { name: name.trim(), role };
      const k = await api.issueKey(body, idem(body));
      setName('');
      onIssued(k);
      await qc.invalidateQueries({ queryKey: keys.apiKeys() });
    },
    { idleAfterSuccess: true },
  );
  return (
    <form
      className="card form"
      aria-labelledby="issue-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!name.trim()) {
          setMissing(true);
          document.getElementById('key-name')?.focus();
          return;
        }
        setMissing(false);
        void submit(e);
      }}
    >
      <h2 id="issue-title">Issue a key</h2>
      <div className="grid">
        <div className="field">
          <label htmlFor="key-name">Who or what will use it</label>
          <input
            id="key-name"
            maxLength={100}
            autoComplete="off"
            value={name}
            onChange={(e) => setName(e.target.value)}
            aria-invalid={missing || undefined}
            aria-describedby={missing ? 'key-name-error' : undefined}
          />
          {missing && <FieldError id="key-name-error">Enter a name, e.g. “Front desk 2”.</FieldError>}
        </div>
        <div className="field">
          <label htmlFor="key-role">Role</label>
          <select id="key-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABEL[r]}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error !== null && <ErrorNote error={error} />}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Issuing…' : 'Issue key'}
        </button>
      </div>
    </form>
  );
}

function IssuedSecret({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(issued.key);
      setCopied('yes');
      announce('Key copied to the clipboard.');
    } catch {
      setCopied('no');
    }
  }
  return (
    <div className="card issued" aria-labelledby="issued-title">
      <h2 id="issued-title" tabIndex={-1} autoFocus>
        Key issued for {issued.name} ({ROLE_LABEL[issued.role]})
      </h2>
      <p>
        <strong>Copy it now: it is shown only this once.</strong> The server keeps only a fingerprint of it.
      </p>
      <p className="secret">
        <code data-testid="issued-secret">{issued.key}</code>
      </p>
      <div className="buttons">
        <button type="button" className="button primary" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" className="button secondary" onClick={onDone}>
          I have stored it: hide the key
        </button>
      </div>
      {copied === 'yes' && <p className="state state-ok">Copied.</p>}
      {copied === 'no' && <p className="state state-error">The browser did not allow copying; select the key and copy it by hand.</p>}
    </div>
  );
}

function KeyRow({ k, zone, onRevoked }: { k: Listed; zone: string; onRevoked: (msg: string) => void }) {
  const { api } = useAuth();
  const qc = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    await api.revokeKey(k.id);
    const msg = `Key “${k.name}” revoked.`;
    onRevoked(msg);
    announce(msg);
    await qc.invalidateQueries({ queryKey: keys.apiKeys() });
  });
  const lastUsed = k.lastUsedAt === undefined ? 'not recorded' : k.lastUsedAt ? formatDateTime(k.lastUsedAt, zone) : 'never';
  return (
    <>
      <tr className={k.revokedAt ? 'revoked' : undefined}>
        <td>{k.name}</td>
        <td>{ROLE_LABEL[k.role]}</td>
        <td>
          <code>{k.prefix}…</code>
        </td>
        <td>{formatDateTime(k.createdAt, zone)}</td>
        <td>{lastUsed}</td>
        <td>
          {k.revokedAt ? (
            <span className="badge status-cancelled">Revoked {formatDateTime(k.revokedAt, zone)}</span>
          ) : k.expiresAt ? (
            <span className="badge">Expires {formatDateTime(k.expiresAt, zone)}</span>
          ) : (
            <span className="badge status-completed">Active</span>
          )}
        </td>
        <td>
          {!k.revokedAt && !confirming && (
            <button type="button" className="button small danger" onClick={() => setConfirming(true)} aria-label={`Revoke ${k.name}`}>
              Revoke
            </button>
          )}
        </td>
      </tr>
      {confirming && !k.revokedAt && (
        <tr className="form-row">
          <td colSpan={7}>
            <form className="action-form" aria-label={`Revoke ${k.name}`} onSubmit={(e) => void submit(e)}>
              <div className="row">
                <p className="grow">Revoke “{k.name}”? Whoever uses it is signed out at their next request, and it cannot be restored.</p>
                <div className="buttons">
                  <button type="submit" className="button danger" disabled={busy} autoFocus>
                    Yes, revoke the key
                  </button>
                  <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
                    Keep it
                  </button>
                </div>
              </div>
              {error !== null && <ErrorNote error={error} />}
            </form>
          </td>
        </tr>
      )}
    </>
  );
}
