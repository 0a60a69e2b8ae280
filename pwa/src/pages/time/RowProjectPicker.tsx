import { useState } from 'preact/hooks';

import { useT } from '../../i18n';
import { searchProjects, SHOWN, type ProjectEntry } from '../../project-search';
import type { ProjectView } from '../expenses/model';
import type { ProjectRef } from './model';

/**
 * Project, subproject or activity for one row of the week: type any part of a code or a name at
 * any level ("kund prog"); the tree is searched on the phone. One picker per row, so every id
 * carries the row's prefix.
 */
export function RowProjectPicker({
  id,
  rowLabel,
  value,
  entries,
  loading,
  onChange,
  error,
}: {
  id: string;
  rowLabel: string;
  value: ProjectRef | null;
  entries: ProjectEntry[];
  loading: boolean;
  onChange: (project: ProjectRef | null) => void;
  error: string | undefined;
}) {
  const t = useT();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const { words, matches } = searchProjects(entries, query);
  const showSearch = open || !value;
  const errorId = `${id}-error`;

  const choose = (project: ProjectView | null) => {
    onChange(project ? { id: project.id, code: project.code, name: project.name, path: project.path } : null);
    setOpen(false);
    setQuery('');
    requestAnimationFrame(() => document.getElementById(project ? `${id}-change` : `${id}-search`)?.focus());
  };

  return (
    <fieldset class="fieldset" id={id} tabIndex={-1} aria-describedby={error ? errorId : undefined}>
      <legend>
        {t.time.project} <span class="muted">{t.expenses.form.optional}</span>
      </legend>
      {value && (
        <div class="picker__selected">
          <p>
            <strong>
              {value.path} – {value.name}
            </strong>
          </p>
          <div class="button-row">
            <button
              id={`${id}-change`}
              type="button"
              class="button button--secondary"
              aria-expanded={open}
              aria-controls={`${id}-results`}
              onClick={() => setOpen(!open)}
            >
              {t.expenses.projects.change}
              <span class="visually-hidden">: {rowLabel}</span>
            </button>
            <button type="button" class="button button--secondary" onClick={() => choose(null)}>
              {t.expenses.projects.remove}
              <span class="visually-hidden">: {rowLabel}</span>
            </button>
          </div>
        </div>
      )}
      {error && (
        <p id={errorId} class="field__error">
          {error}
        </p>
      )}
      {showSearch && (
        <div class="picker">
          <div class="field">
            <label for={`${id}-search`}>{t.expenses.projects.search}</label>
            <input
              id={`${id}-search`}
              type="search"
              autocomplete="off"
              value={query}
              onInput={(event) => {
                setQuery(event.currentTarget.value);
                setOpen(true);
              }}
              aria-describedby={`${id}-hint ${id}-count`}
              aria-controls={`${id}-results`}
            />
            <p id={`${id}-hint`} class="field__hint">
              {t.expenses.projects.searchHint}
            </p>
          </div>
          <p id={`${id}-count`} class="visually-hidden" aria-live="polite">
            {loading
              ? t.expenses.projects.loading
              : words.length
                ? matches.length
                  ? t.expenses.projects.results(matches.length)
                  : t.expenses.projects.noResults
                : ''}
          </p>
          {!loading && words.length > 0 && matches.length === 0 && <p class="muted">{t.expenses.projects.noResults}</p>}
          <ul id={`${id}-results`} class="picker__results">
            {(words.length ? matches : []).slice(0, SHOWN).map(({ project, names }) => (
              <li key={project.id}>
                <button
                  type="button"
                  class="picker__option"
                  aria-pressed={project.id === value?.id}
                  onClick={() => choose(project)}
                >
                  <span class="picker__code">{project.path}</span>
                  <span class="picker__name">{names}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}
