import { Icon } from '../../components/Icon';
import { useT } from '../../i18n';
import { formatMoney, formatPeriod } from '../../i18n/format';
import type { Overview, OverviewRow, OverviewSort, SortDirection } from '../payslip/model';

/** Everyone's preliminary pay in the period, sorted by the server by the column chosen, a page at a time. */
export function OverviewTable({
  overview,
  rows,
  sort,
  onSort,
  loadingMore,
  onShowMore,
}: {
  overview: Overview;
  rows: OverviewRow[];
  sort: { column: OverviewSort; direction: SortDirection };
  onSort: (column: OverviewSort) => void;
  loadingMore: boolean;
  onShowMore: () => void;
}) {
  const t = useT();
  const header = (column: OverviewSort, label: string, numeric = false) => (
    <th scope="col" class={numeric ? 'num' : undefined} aria-sort={sort.column === column ? sort.direction : undefined}>
      <button type="button" class="sort-button" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true" class="sort-button__arrow">
          {sort.column === column ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );

  return (
    <section class="card" aria-labelledby="payroll-employees">
      <h2 id="payroll-employees">{t.payroll.employeesHeading}</h2>
      <p class="table-note" id="payroll-table-caption">
        {t.payroll.caption(formatPeriod(overview.period))}
      </p>
      <div class="table-scroll" role="region" aria-labelledby="payroll-table-caption" tabIndex={0}>
        <table class="table table--overview" aria-labelledby="payroll-table-caption">
          <thead>
            <tr>
              {header('name', t.payroll.employee)}
              {header('gross', t.payroll.gross, true)}
              {header('tax', t.payroll.tax, true)}
              {header('net', t.payroll.net, true)}
              {header('pending', t.payroll.pendingShort, true)}
              {header('warnings', t.payroll.warnings)}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.employee_id} class={row.warnings.length ? 'row--warning' : undefined}>
                <th scope="row">
                  <a href={`/payslip?employee=${row.employee_id}&period=${overview.period}`}>{row.employee_name}</a>
                  <span class="muted table__sub">{row.employee_number}</span>
                </th>
                <td class="num">{formatMoney(row.gross_pay)}</td>
                <td class="num">{formatMoney(row.tax)}</td>
                <td class="num">{formatMoney(row.net_pay)}</td>
                <td class="num">
                  {row.pending_items}
                  {row.pending_amount !== '0.00' && <span class="muted table__sub">{formatMoney(row.pending_amount)}</span>}
                </td>
                <td>
                  {row.warnings.length === 0 ? (
                    <span class="muted">{t.payroll.noWarnings}</span>
                  ) : (
                    <ul class="plain-list warning-cell">
                      {row.warnings.map((warning) => (
                        <li key={warning.code}>
                          <Icon name="warning" />{' '}
                          {warning.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length < overview.employees && (
        <div class="button-row">
          <p class="muted" role="status">
            {t.payroll.shownOf(rows.length, overview.employees)}
          </p>
          <button type="button" class="button button--secondary" aria-disabled={loadingMore} onClick={onShowMore}>
            {loadingMore ? t.payroll.loadingMore : t.payroll.showMore}
          </button>
        </div>
      )}
    </section>
  );
}
