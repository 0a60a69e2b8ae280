import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

import { useT } from '../i18n';

let firstPage = true;

/**
 * The page's `<h1>` and the document title. After a navigation, focus moves to the
 * heading so screen readers announce the new page (not on the very first load).
 */
export function PageHeading({ title, id, children }: { title: string; id?: string; children?: ComponentChildren }) {
  const t = useT();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · ${t.app.name}`;
  }, [title, t]);
  useEffect(() => {
    if (!firstPage) ref.current?.focus();
    firstPage = false;
  }, []);
  return (
    <h1 ref={ref} id={id} tabIndex={-1}>
      {children ?? title}
    </h1>
  );
}
