import { useLocation } from 'preact-iso';

import { api } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT, type Messages } from '../../i18n';
import { formatDate, formatHours, formatMoney, formatNumber, formatPeriod } from '../../i18n/format';
import { routes } from '../../routes';
import type { CaseSubject } from '../cases/model';
import { ReportError } from '../cases/ReportError';
import { user } from '../../session';
import { useLoad } from '../../useLoad';
import {
  GROUPS,
  nextPeriod,
  PERIOD,
  toOre,
  type DetailLine,
  type PayslipLine,
  type PendingLine,
  type Payslip,
  type PayslipSummary,
  type Vacation,
} from './model';

const UUID = /^[0-9a-f-]{36}$/i;

/**
 * Where each kind of pending item is shown to its employee. A link is offered only when the
 * app has that screen (`routes.ts`), so the payslip never points at a page that does not exist.
 */
const ITEM_PAGES: Record<string, string[]> = {
  expense_claim: ['/expenses/claims/:id'],
  travel_claim: ['/travel/claims/:id', '/travel/:id'],
  time_week: ['/time/weeks/:id'],
  leave_request: ['/leave/:id', '/time/leave/:id'],
};

function itemLink(kind: string, id: string): string | null {
  const pattern = ITEM_PAGES[kind]?.find((candidate) => routes.some((route) => route.path === candidate));
  return pattern ? pattern.replace(':id', encodeURIComponent(id)) : null;
}

function sumGroup(lines: PayslipLine[]): string {
  const ore = lines.reduce((total, line) => total + toOre(line.amount), 0n);
  const negative = ore < 0n;
  const abs = negative ? -ore : ore;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** A deduction shown as one: "8666.00" -> "-8666.00" (nothing to take away stays 0). */
function negated(amount: string): string {
  if (toOre(amount) === 0n) return amount;
  return amount.startsWith('-') ? amount.slice(1) : `-${amount}`;
}

/** "2 tim × 446,81 kr": how much of what, when the line has a quantity. */
function quantityText(t: Messages, line: PayslipLine | DetailLine): string | null {
  if (line.quantity === null) return null;
  const one = toOre(line.quantity) === 100n ? t.payslip.unitsOne : {};
  const unit = line.unit ? (one[line.unit] ?? t.payslip.units[line.unit] ?? line.unit) : '';
  const amount = `${formatNumber(line.quantity)}${unit ? ` ${unit}` : ''}`;
  return line.rate === null ? amount : `${amount} × ${formatMoney(line.rate)}`;
}

/** "Lön": the coming pay (preliminary, computed now) or a past payslip, net pay first. */
export function PayslipPage() {
  const t = useT();
  const { query } = useLocation();
  const period = query.period && PERIOD.test(query.period) ? query.period : null;
  const employee = query.employee && UUID.test(query.employee) ? query.employee : null;
  // A period can have several payslips (its regular run and extra runs): `run` picks one run's.
  const run = query.run && UUID.test(query.run) ? query.run : null;
  const own = !employee || employee === user.value?.employee_id;
  const params = (extra: Record<string, string | null>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(extra)) if (value) search.set(key, value);
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  const { data: payslip, error } = useLoad(
    (signal) =>
      api.get<Payslip>(`/api/payslips/preliminary${params({ period, employee_id: employee, pay_run_id: run })}`, { signal }),
    [period, employee, run],
  );
  // Without the list of earlier payslips (refused, offline) the page shows this one without it.
  const earlier = useLoad(
    (signal) => api.get<PayslipSummary[]>(`/api/payslips${params({ employee_id: employee })}`, { signal }),
    [employee],
  );
  const history = earlier.error ? [] : earlier.data;
  const report = (line: PayslipLine): CaseSubject | undefined =>
    own && payslip
      ? {
          subject_kind: 'payslip_line',
          payslip_period: payslip.period,
          pay_run_id: payslip.pay_run_id,
          line_key: line.code,
          line_text: line.text,
        }
      : undefined;

  const linkTo = (to: string, toRun: string | null = null) => `/payslip${params({ period: to, employee, run: toRun })}`;
  const later = payslip?.pending.some((line) => !line.can_reach_this_payslip) ?? false;

  return (
    <div class="stack">
      {!own && (
        <p class="back-link">
          <a href="/payroll">
            <span aria-hidden="true">←</span>
            {t.payroll.title}
          </a>
        </p>
      )}
      <PageHeading title={t.payslip.title} />
      {error && <ProblemAlert error={error} />}
      {!payslip && !error && (
        <p class="loading" aria-busy="true">
          {t.app.loading}
        </p>
      )}

      {payslip && (
        <>
          <section class={payslip.preliminary ? 'card payslip-hero payslip-hero--preliminary' : 'card payslip-hero'} aria-labelledby="payslip-period">
            <p class="payslip-hero__status">
              <span class={payslip.preliminary ? 'badge badge--preliminary' : 'badge badge--final'}>
                {payslip.preliminary ? t.payslip.preliminary : t.payslip.final}
              </span>
              {payslip.extra_run && <span class="badge">{t.payslip.extraRun}</span>}
            </p>
            <h2 id="payslip-period">
              {t.payslip.periodHeading(formatPeriod(payslip.period))}
              {!own && <span class="payslip-hero__who">{payslip.employee_name}</span>}
            </h2>
            <p class="payslip-hero__label" id="payslip-net-label">
              {t.payslip.net}
            </p>
            <p class="net-pay" aria-describedby="payslip-net-label">
              {formatMoney(payslip.net_pay)}
            </p>
            <p>{t.payslip.payDate(formatDate(payslip.pay_date, 'long'))}</p>
            {payslip.preliminary && (
              <p class="alert alert--info">{t.payslip.preliminaryNote(formatDate(payslip.computed_on, 'long'), formatDate(payslip.cut_off, 'long'))}</p>
            )}
            <dl class="facts facts--compact">
              <div>
                <dt>{t.payslip.gross}</dt>
                <dd class="num">{formatMoney(payslip.gross_pay)}</dd>
              </div>
              <div>
                <dt>{t.payslip.tax}</dt>
                <dd class="num">{formatMoney(negated(payslip.tax))}</dd>
              </div>
              <div>
                <dt>{t.payslip.taxFree}</dt>
                <dd class="num">{formatMoney(payslip.tax_free)}</dd>
              </div>
            </dl>
            <p class="button-row">
              <a
                class="button button--secondary"
                href={`/api/payslips/pdf${params({ period: payslip.period, employee_id: employee, pay_run_id: payslip.pay_run_id })}`}
                target="_blank"
                rel="noopener"
              >
                {payslip.preliminary ? t.payslip.pdfPreliminary : t.payslip.pdf}
                <span class="visually-hidden"> ({t.payslip.newTab})</span>
              </a>
            </p>
          </section>

          <PayslipFacts payslip={payslip} />

          {payslip.warnings.length > 0 && (
            <section class="alert alert--warning" aria-labelledby="payslip-warnings">
              <h2 class="alert__title" id="payslip-warnings">
                {t.payslip.warnings}
              </h2>
              <ul>
                {payslip.warnings.map((warning) => (
                  <li key={warning.code}>{warning.message}</li>
                ))}
              </ul>
            </section>
          )}

          <section class="card" aria-labelledby="payslip-lines">
            <h2 id="payslip-lines">{t.payslip.lines}</h2>
            <p class="muted">{t.payslip.linesHint}</p>
            {GROUPS.map((group) => {
              const lines = payslip.lines.filter((line) => line.group === group);
              if (!lines.length) return null;
              return (
                <div key={group} class="line-group" role="group" aria-labelledby={`payslip-group-${group}`}>
                  <h3 id={`payslip-group-${group}`} class="line-group__title">
                    <span>{t.payslip.groups[group]}</span>
                    <span class="num">{formatMoney(sumGroup(lines))}</span>
                  </h3>
                  <ul class="plain-list lines">
                    {lines.map((line, index) => (
                      <Line key={`${line.code}-${index}`} line={line} report={report(line)} id={`${group}-${index}`} />
                    ))}
                  </ul>
                </div>
              );
            })}
            {/* Lines of other groups (should the engine add one) are shown rather than lost. */}
            {payslip.lines.some((line) => !(GROUPS as readonly string[]).includes(line.group)) && (
              <ul class="plain-list lines">
                {payslip.lines
                  .filter((line) => !(GROUPS as readonly string[]).includes(line.group))
                  .map((line, index) => (
                    <Line key={`other-${index}`} line={line} report={report(line)} id={`other-${index}`} />
                  ))}
              </ul>
            )}
            <Summary payslip={payslip} />
            <p class="net-row">
              <span>{t.payslip.net}</span>
              <strong class="num">{formatMoney(payslip.net_pay)}</strong>
            </p>
          </section>

          <YearToDate payslip={payslip} />
          {payslip.vacation && <VacationBalance vacation={payslip.vacation} />}

          {payslip.pending.length > 0 && (
            <section class="card" aria-labelledby="payslip-pending">
              <h2 id="payslip-pending">{t.payslip.pending}</h2>
              <p class="muted">{t.payslip.pendingHint}</p>
              <ul class="item-list">
                {payslip.pending.map((line) => (
                  <Pending key={`${line.kind}-${line.item_id}-${line.status}`} line={line} linked={own} />
                ))}
              </ul>
              {later && (
                <p>
                  <a class="target-link" href={linkTo(nextPeriod(payslip.period))}>
                    {t.payslip.showNext(formatPeriod(nextPeriod(payslip.period)))}
                  </a>
                </p>
              )}
            </section>
          )}

          <section class="card" aria-labelledby="payslip-more">
            <h2 id="payslip-more">{t.payslip.more}</h2>
            <details class="disclosure">
              <summary>{t.payslip.taxBasis}</summary>
              <p>
                {payslip.tax_basis.table
                  ? t.payslip.taxTable(payslip.tax_basis.table, payslip.tax_basis.column)
                  : t.payslip.noTaxTable}
              </p>
              <p class="muted">{payslip.tax_basis.explanation}</p>
            </details>
            <details class="disclosure">
              <summary>{t.payslip.employerCost}</summary>
              <dl class="facts facts--compact">
                <div>
                  <dt>{t.payslip.contributions}</dt>
                  <dd class="num">{formatMoney(payslip.employer_contributions.total)}</dd>
                </div>
                <div>
                  <dt>{t.payslip.employerTotal}</dt>
                  <dd class="num">{formatMoney(payslip.employer_cost)}</dd>
                </div>
              </dl>
              {payslip.employer_contributions.parts.map((part, index) => (
                <p key={index} class="muted">
                  {part.explanation}
                </p>
              ))}
            </details>
          </section>
        </>
      )}

      {/* Below the payslip, so it comes once the payslip is there: nothing above it jumps down later. */}
      {(payslip || error) && (
        <section class="card" aria-labelledby="payslip-history" aria-busy={history === null}>
          <h2 id="payslip-history">{t.payslip.history}</h2>
          {history === null && <p class="muted">{t.app.loading}</p>}
          {history?.length === 0 && <p class="muted">{t.payslip.noHistory}</p>}
          {history && history.length > 0 && (
            <ul class="item-list">
              {history.map((summary) => {
                const current = summary.preliminary
                  ? payslip?.preliminary === true && payslip.period === summary.period
                  : payslip?.pay_run_id === summary.pay_run_id;
                return (
                  <li key={summary.pay_run_id ?? `preliminary-${summary.period}`} class="item">
                    <a class="item__main" href={linkTo(summary.period, summary.pay_run_id)} aria-current={current ? 'page' : undefined}>
                      <span class="item__title">{formatPeriod(summary.period)}</span>
                      <span class="item__meta">
                        {t.payslip.paidOn(formatDate(summary.pay_date, 'medium'))}
                        {summary.preliminary && ` · ${t.payslip.preliminary}`}
                        {summary.extra_run && ` · ${t.payslip.extraRun}`}
                      </span>
                    </a>
                    <span class="item__amount">
                      <span class="visually-hidden">{t.payslip.net}: </span>
                      {formatMoney(summary.net_pay)}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

/** A line: what and how much; opened, how it was computed. */
function Line({ line, report, id }: { line: PayslipLine; report?: CaseSubject | undefined; id: string }) {
  const t = useT();
  const how = quantityText(t, line);
  return (
    <li class="line">
      <details class="line__details">
        <summary class="line__summary">
          <span class="line__text">
            {line.text}
            {how && <span class="line__how">{how}</span>}
          </span>
          <span class="line__amount num">{formatMoney(line.amount)}</span>
        </summary>
        <div class="line__explanation">
          <p>{line.explanation}</p>
          <p class="muted">
            {line.group === 'tax' ? t.payslip.taxLine : line.taxable ? t.payslip.taxable : t.payslip.notTaxable}
            {line.work_period && ` · ${t.payslip.workPeriod(formatPeriod(line.work_period))}`}
          </p>
        </div>
      </details>
      {line.details && line.details.length > 0 && (
        <ul class="plain-list line__parts" aria-label={`${t.payslip.parts}: ${line.text}`}>
          {line.details.map((detail, index) => {
            const detailHow = quantityText(t, detail);
            return (
              <li key={index} class="line__part">
                <span class="line__text">
                  {detail.text}
                  {detailHow && <span class="line__how">{detailHow}</span>}
                </span>
                <span class="num">{formatMoney(detail.amount)}</span>
              </li>
            );
          })}
        </ul>
      )}
      {report && <ReportError subject={report} about={line.text} id={`report-${id}`} />}
    </li>
  );
}

/** Who pays whom, for which period and by which tax table: the head of a lönespecifikation. */
function PayslipFacts({ payslip }: { payslip: Payslip }) {
  const t = useT();
  const basis = payslip.tax_basis;
  const rows = (
    [
      [t.payslip.employer, payslip.employer?.name],
      [t.payslip.orgNumber, payslip.employer?.org_number],
      [t.payslip.employee, payslip.employee_name],
      [t.payslip.employeeNumber, payslip.employee_number],
      [t.payslip.period, formatPeriod(payslip.period)],
      [t.payslip.payDay, formatDate(payslip.pay_date, 'long')],
      [t.payslip.taxTableLabel, basis.table === null ? t.payslip.noTable : String(basis.table)],
      [t.payslip.taxColumn, basis.table === null ? null : String(basis.column)],
    ] as Array<[string, string | null | undefined]>
  ).filter((row): row is [string, string] => Boolean(row[1]));
  return (
    <section class="card" aria-labelledby="payslip-facts">
      <h2 id="payslip-facts">{t.payslip.facts}</h2>
      <dl class="facts facts--compact">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Gross, taxable gross, tax by table and column, tax-free: the totals above the net pay. */
function Summary({ payslip }: { payslip: Payslip }) {
  const t = useT();
  const basis = payslip.tax_basis;
  return (
    <dl class="facts facts--compact payslip-summary" aria-label={t.payslip.summary}>
      <div>
        <dt>{t.payslip.gross}</dt>
        <dd class="num">{formatMoney(payslip.gross_pay)}</dd>
      </div>
      {toOre(payslip.taxable_benefits) !== 0n && (
        <div>
          <dt>{t.payslip.benefits}</dt>
          <dd class="num">{formatMoney(payslip.taxable_benefits)}</dd>
        </div>
      )}
      <div>
        <dt>{t.payslip.taxableGross}</dt>
        <dd class="num">{formatMoney(payslip.taxable_pay)}</dd>
      </div>
      <div>
        <dt>{basis.table === null ? t.payslip.tax : t.payslip.taxWithTable(basis.table, basis.column)}</dt>
        <dd class="num">{formatMoney(negated(payslip.tax))}</dd>
      </div>
      <div>
        <dt>{t.payslip.taxFree}</dt>
        <dd class="num">{formatMoney(payslip.tax_free)}</dd>
      </div>
    </dl>
  );
}

function YearToDate({ payslip }: { payslip: Payslip }) {
  const t = useT();
  const ytd = payslip.year_to_date;
  return (
    <section class="card" aria-labelledby="payslip-ytd">
      <h2 id="payslip-ytd">{t.payslip.ytdTitle(ytd.year)}</h2>
      <dl class="facts facts--compact">
        <div>
          <dt>{t.payslip.gross}</dt>
          <dd class="num">{formatMoney(ytd.gross_pay)}</dd>
        </div>
        <div>
          <dt>{t.payslip.tax}</dt>
          <dd class="num">{formatMoney(ytd.tax)}</dd>
        </div>
        <div>
          <dt>{t.payslip.ytdNet}</dt>
          <dd class="num">{formatMoney(ytd.net_pay)}</dd>
        </div>
        <div>
          <dt>{t.payslip.taxFree}</dt>
          <dd class="num">{formatMoney(ytd.tax_free)}</dd>
        </div>
      </dl>
    </section>
  );
}

/** Paid, taken, planned, left, saved, unpaid vacation days, with what the figures are based on. */
function VacationBalance({ vacation }: { vacation: Vacation }) {
  const t = useT();
  const days = (value: string) => formatNumber(value);
  const rows: Array<[string, string]> = [
    [t.payslip.paidDays, days(vacation.paid_days)],
    [t.payslip.taken, days(vacation.taken)],
    [t.payslip.planned, days(vacation.planned)],
    [t.payslip.remaining, days(vacation.remaining)],
    [t.payslip.saved, vacation.saved_days === null ? t.payslip.notRecorded : days(vacation.saved_days)],
    [t.payslip.unpaid, days(vacation.unpaid_days)],
  ];
  return (
    <section class="card" aria-labelledby="payslip-vacation">
      <h2 id="payslip-vacation">{t.payslip.vacation(vacation.year)}</h2>
      <dl class="facts facts--compact">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd class="num">{value}</dd>
          </div>
        ))}
      </dl>
      <p class="muted">{vacation.explanation}</p>
    </section>
  );
}

function Pending({ line, linked }: { line: PendingLine; linked: boolean }) {
  const t = useT();
  const href = linked ? itemLink(line.kind, line.item_id) : null;
  const quantity = line.amount !== null ? formatMoney(line.amount) : line.hours !== null ? t.attest.hours(formatHours(line.hours)) : '';
  return (
    <li class="item pending">
      <div class="item__main">
        <span class="item__title">
          {href ? (
            <a href={href}>
              {line.text}
              <span class="visually-hidden"> ({t.attest.kinds[line.kind] ?? line.kind})</span>
            </a>
          ) : (
            line.text
          )}
        </span>
        <span class="item__meta">
          {t.attest.kinds[line.kind] ?? line.kind}
          {line.submitted_on && ` · ${t.payslip.submittedOn(formatDate(line.submitted_on, 'medium'))}`}
        </span>
        <span class="item__flags">
          <span class={`badge badge--pending-${line.status}`}>{t.payslip.statuses[line.status] ?? line.status}</span>
        </span>
        <span class="pending__explanation">{line.explanation}</span>
      </div>
      <span class="item__amount">{quantity}</span>
    </li>
  );
}
