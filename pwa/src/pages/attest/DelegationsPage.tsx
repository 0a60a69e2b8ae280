import { useState } from 'preact/hooks';

import { api, ApiError } from '../../api';
import { PageHeading } from '../../components/PageHeading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useT } from '../../i18n';
import { addDays } from '../../calendar';
import { formatDate, formatDateTime, todayInSweden } from '../../i18n/format';
import { user } from '../../session';
import { useLoad } from '../../useLoad';
import type { Delegation, EmployeeSummary } from './model';
import { AttestNav } from './parts';

function inDays(days: number): string {
  return addDays(todayInSweden(), days);
}

type Field = 'substitute_employee_id' | 'valid_from' | 'valid_to' | 'manager_employee_id';

/** "Ersättare": a manager lets a substitute attest the team's items between two dates, and ends it early if needed. */
export function DelegationsPage() {
  const t = useT();
  const me = user.value;
  const isPayroll = me?.roles.includes('payroll') ?? false;
  const [endError, setEndError] = useState<ApiError | null>(null);
  const [substitute, setSubstitute] = useState('');
  const [manager, setManager] = useState('');
  const [from, setFrom] = useState(todayInSweden());
  const [to, setTo] = useState(inDays(14));
  const [busy, setBusy] = useState<string | null>(null);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const [missing, setMissing] = useState<Partial<Record<Field, string>>>({});
  const [message, setMessage] = useState<string | null>(null);

  const loaded = useLoad((signal) => api.get<Delegation[]>('/api/delegations', { signal }), []);
  const { data: delegations, reload } = loaded;
  const error = loaded.error ?? endError;
  // The people to choose from; without them (refused, offline) there is no one to offer.
  const staff = useLoad((signal) => api.get<EmployeeSummary[]>('/api/employees?limit=1000', { signal }), []);
  const people = staff.data ?? [];

  const fieldError = (field: Field) => missing[field] ?? formError?.fieldError(field);

  const create = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const problems: Partial<Record<Field, string>> = {};
    if (!substitute) problems.substitute_employee_id = t.attest.delegations.chooseSubstitute;
    if (!from) problems.valid_from = t.attest.delegations.dateRequired;
    if (!to) problems.valid_to = t.attest.delegations.dateRequired;
    setMissing(problems);
    setMessage(null);
    if (Object.keys(problems).length) {
      document.getElementById(`delegation-${Object.keys(problems)[0]}`)?.focus();
      return;
    }
    setBusy('create');
    setFormError(null);
    try {
      const body: Record<string, string> = { substitute_employee_id: substitute, valid_from: from, valid_to: to };
      if (isPayroll && manager) body.manager_employee_id = manager;
      const created = await api.post<Delegation>('/api/delegations', body);
      setMessage(
        t.attest.delegations.created(created.substitute.name, formatDate(created.valid_from, 'medium'), formatDate(created.valid_to, 'medium')),
      );
      setSubstitute('');
      await reload();
    } catch (caught) {
      if (caught instanceof ApiError) setFormError(caught);
    } finally {
      setBusy(null);
    }
  };

  const end = async (delegation: Delegation) => {
    if (busy) return;
    setBusy(delegation.id);
    setMessage(null);
    setEndError(null);
    try {
      await api.delete(`/api/delegations/${delegation.id}`);
      setMessage(t.attest.delegations.ended(delegation.substitute.name));
      await reload();
    } catch (caught) {
      if (caught instanceof ApiError) setEndError(caught);
    } finally {
      setBusy(null);
    }
  };

  const mayEnd = (delegation: Delegation) => isPayroll || delegation.manager.id === me?.employee_id;
  const candidates = people.filter((person) => person.id !== (manager || me?.employee_id));
  const current = (delegations ?? []).filter((d) => !d.ended_at && d.valid_to >= todayInSweden());
  const past = (delegations ?? []).filter((d) => d.ended_at || d.valid_to < todayInSweden());

  const describedBy = (field: Field, hint?: string) =>
    [hint, fieldError(field) ? `delegation-${field}-error` : null].filter(Boolean).join(' ') || undefined;

  return (
    <div class="stack">
      <PageHeading title={t.attest.delegations.title} />
      <AttestNav />
      <p>{t.attest.delegations.intro}</p>
      {message && (
        <p class="alert alert--success" role="status">
          {message}
        </p>
      )}
      {error && <ProblemAlert error={error} />}

      <section class="card" aria-labelledby="delegations-current" aria-busy={delegations === null && !error}>
        <h2 id="delegations-current">{t.attest.delegations.current}</h2>
        {delegations === null && !error && <p class="muted">{t.app.loading}</p>}
        {delegations && current.length === 0 && <p class="muted">{t.attest.delegations.none}</p>}
        {current.length > 0 && (
          <ul class="item-list">
            {current.map((delegation) => (
              <li key={delegation.id} class="item">
                <div class="item__main">
                  <span class="item__title">
                    {delegation.manager.id === me?.employee_id
                      ? t.attest.delegations.yourSubstitute(delegation.substitute.name)
                      : delegation.substitute.id === me?.employee_id
                        ? t.attest.delegations.youSubstitute(delegation.manager.name)
                        : t.attest.delegations.forManager(delegation.substitute.name, delegation.manager.name)}
                  </span>
                  <span class="item__meta">
                    {formatDate(delegation.valid_from, 'medium')} – {formatDate(delegation.valid_to, 'medium')}
                  </span>
                  <span class="item__flags">
                    <span class={delegation.active ? 'badge badge--approved' : 'badge'}>
                      {delegation.active ? t.attest.delegations.active : t.attest.delegations.upcoming}
                    </span>
                  </span>
                </div>
                {mayEnd(delegation) && (
                  <button
                    type="button"
                    class="button button--danger"
                    aria-disabled={busy === delegation.id}
                    onClick={() => void end(delegation)}
                  >
                    {t.attest.delegations.end}
                    <span class="visually-hidden">: {delegation.substitute.name}</span>
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>

      <form class="card form" onSubmit={(event) => void create(event)} noValidate aria-labelledby="delegations-new">
        <h2 id="delegations-new">{t.attest.delegations.new}</h2>
        {formError && !formError.problem.errors?.length && <ProblemAlert error={formError} />}
        {isPayroll && (
          <div class="field">
            <label for="delegation-manager_employee_id">{t.attest.delegations.manager}</label>
            <select
              id="delegation-manager_employee_id"
              value={manager}
              aria-invalid={fieldError('manager_employee_id') ? 'true' : undefined}
              aria-describedby={describedBy('manager_employee_id')}
              onChange={(event) => setManager(event.currentTarget.value)}
            >
              <option value="">{t.attest.delegations.myself}</option>
              {people.map((person) => (
                <option key={person.id} value={person.id}>
                  {person.name}
                </option>
              ))}
            </select>
            <FieldProblem field="manager_employee_id" text={fieldError('manager_employee_id')} />
          </div>
        )}
        <div class="field">
          <label for="delegation-substitute_employee_id">{t.attest.delegations.substitute}</label>
          <p class="field__hint" id="delegation-substitute-hint">
            {t.attest.delegations.substituteHint}
          </p>
          <select
            id="delegation-substitute_employee_id"
            value={substitute}
            aria-invalid={fieldError('substitute_employee_id') ? 'true' : undefined}
            aria-describedby={describedBy('substitute_employee_id', 'delegation-substitute-hint')}
            onChange={(event) => setSubstitute(event.currentTarget.value)}
          >
            <option value="">{t.attest.delegations.choose}</option>
            {candidates.map((person) => (
              <option key={person.id} value={person.id}>
                {person.name}
              </option>
            ))}
          </select>
          <FieldProblem field="substitute_employee_id" text={fieldError('substitute_employee_id')} />
        </div>
        <div class="field-row field-row--even">
          <div class="field">
            <label for="delegation-valid_from">{t.attest.delegations.from}</label>
            <input
              id="delegation-valid_from"
              type="date"
              value={from}
              aria-invalid={fieldError('valid_from') ? 'true' : undefined}
              aria-describedby={describedBy('valid_from')}
              onInput={(event) => setFrom(event.currentTarget.value)}
            />
            <FieldProblem field="valid_from" text={fieldError('valid_from')} />
          </div>
          <div class="field">
            <label for="delegation-valid_to">{t.attest.delegations.to}</label>
            <input
              id="delegation-valid_to"
              type="date"
              value={to}
              min={from || undefined}
              aria-invalid={fieldError('valid_to') ? 'true' : undefined}
              aria-describedby={describedBy('valid_to')}
              onInput={(event) => setTo(event.currentTarget.value)}
            />
            <FieldProblem field="valid_to" text={fieldError('valid_to')} />
          </div>
        </div>
        <button type="submit" class="button button--primary" aria-disabled={busy === 'create'}>
          {busy === 'create' ? t.attest.delegations.saving : t.attest.delegations.save}
        </button>
      </form>

      {past.length > 0 && (
        <section class="card" aria-labelledby="delegations-past">
          <h2 id="delegations-past">{t.attest.delegations.past}</h2>
          <ul class="item-list">
            {past.map((delegation) => (
              <li key={delegation.id} class="item">
                <div class="item__main">
                  <span class="item__title">{t.attest.delegations.forManager(delegation.substitute.name, delegation.manager.name)}</span>
                  <span class="item__meta">
                    {formatDate(delegation.valid_from, 'medium')} – {formatDate(delegation.valid_to, 'medium')}
                    {delegation.ended_at && ` · ${t.attest.delegations.endedAt(formatDateTime(delegation.ended_at))}`}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

function FieldProblem({ field, text }: { field: Field; text: string | undefined }) {
  if (!text) return null;
  return (
    <p class="field__error" id={`delegation-${field}-error`}>
      {text}
    </p>
  );
}
