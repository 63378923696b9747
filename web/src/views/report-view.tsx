// The daily audit report (auditors and administrators): the integrity section first and prominent,
// then every other section as readable tables, and the same report as a CSV download.
import { useEffect, useState } from 'react';
import { messageOf } from '../api/problem';
import { useAuth, useCan } from '../auth/auth-context';
import { ErrorNote, Loading } from '../components/status';
import { ReportBody } from '../components/report-body';
import { PageHeading } from '../lib/a11y';
import { learnClinicZone, useClinicZone } from '../lib/clinic-zone';
import { keys } from '../lib/query';
import { navigate, paths } from '../lib/router';
import { addDays, dateIn, formatDate, isIsoDate } from '../lib/time';
import { useLoad } from '../lib/use-load';

export function ReportView({ date }: { date: string | null }) {
  const { api } = useAuth();
  const can = useCan();
  const { zone } = useClinicZone();
  // The nightly report covers the previous clinic day, so that is the day shown first.
  const yesterday = addDays(dateIn(zone), -1);
  const day = date && isIsoDate(date) ? date : yesterday;
  const allowed = can('report.view');
  const report = useLoad(allowed ? keys.report(day) : null, (signal) => api.dailyReport(day, signal));
  const [download, setDownload] = useState<{ busy: boolean; error?: string }>({ busy: false });
  useEffect(() => learnClinicZone(report.data?.meta.timeZone), [report.data?.meta.timeZone]);

  if (!allowed)
    return (
      <section aria-labelledby="report-title">
        <PageHeading id="report-title" title="Daily report" />
        <p className="state state-error">The daily report is available to auditors and administrators.</p>
      </section>
    );

  async function downloadCsv() {
    setDownload({ busy: true });
    try {
      const blob = await api.dailyReportCsv(day);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `esi-daily-report-${day}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setDownload({ busy: false });
    } catch (err) {
      setDownload({ busy: false, error: messageOf(err) });
    }
  }

  return (
    <section aria-labelledby="report-title">
      <div className="view-head">
        <div>
          <PageHeading
            id="report-title"
            title={`Daily report: ${formatDate(day, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' })}`}
          />
          <p className="muted">
            The integrity checks, then what happened on that clinic day: injections by status, flags, and the changes made.
          </p>
        </div>
        <div className="day-picker">
          <label htmlFor="report-date">Date</label>
          <input
            id="report-date"
            type="date"
            value={day}
            onChange={(e) => isIsoDate(e.target.value) && navigate(paths.report(e.target.value), { replace: true })}
          />
          <button type="button" className="button primary" onClick={() => void downloadCsv()} disabled={download.busy}>
            {download.busy ? 'Preparing…' : 'Download CSV'}
          </button>
        </div>
      </div>
      {download.error && (
        <p className="state state-error" role="alert">
          {download.error}
        </p>
      )}
      {report.error !== undefined ? (
        <ErrorNote error={report.error} onRetry={report.reload} />
      ) : !report.data ? (
        <Loading what="the report" />
      ) : (
        <ReportBody report={report.data} zone={report.data.meta.timeZone} />
      )}
    </section>
  );
}
