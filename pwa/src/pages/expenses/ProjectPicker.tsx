import { useState } from 'preact/hooks';

import { api } from '../../api';
import { useT } from '../../i18n';
import { searchProjects, SHOWN, useProjectEntries } from '../../project-search';
import { useLoad } from '../../useLoad';
import type { ProjectView } from './model';

/**
 * Choose a project from the organisation's tree by typing any part of a code or name at any
 * level ("kund prog" finds Kundportal / Utveckling / Programmering). The tree is fetched once
 * and searched on the phone, so results follow every keystroke without a request each.
 */
export function ProjectPicker({
  value,
  onChange,
  disabled,
  error,
}: {
  value: string;
  onChange: (project: ProjectView | null) => void;
  disabled: boolean;
  error: string | undefined;
}) {
  const t = useT();
  // Without the projects (refused, offline) there is nothing to choose from.
  const loaded = useLoad((signal) => api.get<ProjectView[]>('/api/projects', { signal }), []);
  const projects = loaded.error ? [] : loaded.data;
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);

  const entries = useProjectEntries(projects);
  const { words, matches } = searchProjects(entries, query);
  const selected = entries.find((entry) => entry.project.id === value) ?? null;
  const showSearch = !disabled && (open || !value);

  const choose = (project: ProjectView | null) => {
    onChange(project);
    setOpen(false);
    setQuery('');
    requestAnimationFrame(() => document.getElementById(project ? 'project-change' : 'project-search')?.focus());
  };

  return (
    <fieldset class="fieldset" aria-describedby={error ? 'project-error' : undefined}>
      <legend>
        {t.expenses.fields.project_id} <span class="muted">{t.expenses.form.optional}</span>
      </legend>
      {value ? (
        <div class="picker__selected">
          <p>
            {t.expenses.projects.selected}{' '}
            <strong>{selected ? `${selected.project.path} – ${selected.project.name}` : value}</strong>
          </p>
          {!disabled && (
            <div class="button-row">
              <button
                id="project-change"
                type="button"
                class="button button--secondary"
                aria-expanded={open}
                aria-controls="project-results"
                onClick={() => setOpen(!open)}
              >
                {t.expenses.projects.change}
              </button>
              <button type="button" class="button button--secondary" onClick={() => choose(null)}>
                {t.expenses.projects.remove}
              </button>
            </div>
          )}
        </div>
      ) : (
        disabled && <p class="muted">{t.expenses.projects.none}</p>
      )}
      {error && (
        <p id="project-error" class="field__error">
          {error}
        </p>
      )}
      {showSearch && (
        <div class="picker">
          <div class="field">
            <label for="project-search">{t.expenses.projects.search}</label>
            <input
              id="project-search"
              type="search"
              autocomplete="off"
              value={query}
              onInput={(event) => setQuery(event.currentTarget.value)}
              onFocus={() => setOpen(true)}
              aria-describedby="project-search-hint project-count"
              aria-controls="project-results"
            />
            <p id="project-search-hint" class="field__hint">
              {t.expenses.projects.searchHint}
            </p>
          </div>
          <p id="project-count" class="visually-hidden" aria-live="polite">
            {projects === null
              ? t.expenses.projects.loading
              : matches.length
                ? t.expenses.projects.results(matches.length)
                : t.expenses.projects.noResults}
          </p>
          {projects !== null && matches.length === 0 && <p class="muted">{t.expenses.projects.noResults}</p>}
          <ul id="project-results" class="picker__results">
            {(open || words.length ? matches : []).slice(0, SHOWN).map(({ project, names }) => (
              <li key={project.id}>
                <button
                  type="button"
                  class="picker__option"
                  style={{ paddingInlineStart: `${0.75 + (words.length ? 0 : project.level - 1) * 1}rem` }}
                  aria-pressed={project.id === value}
                  onClick={() => choose(project)}
                >
                  <span class="picker__code">{project.path}</span>
                  <span class="picker__name">{words.length ? names : project.name}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </fieldset>
  );
}
