/**
 * Searching the organisation's project tree on the phone: any part of a code or a name at any
 * level ("kund prog" finds Kundportal / Utveckling / Programmering), accents and case aside.
 * Used by the expense form's project picker and the week's row pickers.
 */
import { useMemo } from 'preact/hooks';

import type { ProjectView } from './pages/expenses/model';

/** How many matches a picker lists at most. */
export const SHOWN = 30;

export interface ProjectEntry {
  project: ProjectView;
  /** Names from the top of the tree: "Kundportal / Utveckling / Programmering". */
  names: string;
  haystack: string;
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The tree as searchable entries, built once per list of projects. */
export function useProjectEntries(projects: ProjectView[] | null): ProjectEntry[] {
  return useMemo<ProjectEntry[]>(() => {
    const byId = new Map((projects ?? []).map((p) => [p.id, p]));
    return (projects ?? []).map((project) => {
      const names: string[] = [];
      for (let node: ProjectView | undefined = project; node; node = node.parent_id ? byId.get(node.parent_id) : undefined) {
        names.unshift(node.name);
        if (names.length > 20) break;
      }
      const joined = names.join(' / ');
      return { project, names: joined, haystack: fold(`${project.path} ${joined}`) };
    });
  }, [projects]);
}

/** The words typed, and the entries that have every one of them (all entries when none was typed). */
export function searchProjects(entries: ProjectEntry[], query: string): { words: string[]; matches: ProjectEntry[] } {
  const words = fold(query).split(/\s+/).filter(Boolean);
  const matches = words.length ? entries.filter((entry) => words.every((word) => entry.haystack.includes(word))) : entries;
  return { words, matches };
}
