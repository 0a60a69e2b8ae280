import { useEffect, useRef, useState } from 'preact/hooks';

import type { User } from '../api';
import { useT } from '../i18n';
import { logout } from '../session';
import { LanguageSwitch } from './LanguageSwitch';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts.at(-1)?.[0] ?? '') : '')).toUpperCase();
}

/** The signed-in user's menu (a disclosure): who is signed in, their error reports, the language, sign out. */
export function UserMenu({ user }: { user: User }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  return (
    <div class="user-menu" ref={root}>
      <button
        ref={button}
        type="button"
        class="user-menu__button"
        aria-expanded={open}
        aria-controls="user-menu-panel"
        onClick={() => setOpen(!open)}
      >
        <span class="avatar" aria-hidden="true">
          {initials(user.display_name)}
        </span>
        <span class="user-menu__name">{user.display_name}</span>
        <span class="visually-hidden">, {t.userMenu.button}</span>
      </button>
      {open && (
        <div id="user-menu-panel" class="user-menu__panel">
          <p class="user-menu__who">
            {t.userMenu.signedInAs} <strong>{user.display_name}</strong>
            <br />
            <span class="muted">{user.email}</span>
          </p>
          <a class="user-menu__link" href="/cases" onClick={() => setOpen(false)}>
            {t.nav.cases}
          </a>
          <a class="user-menu__link" href="/settings/password" onClick={() => setOpen(false)}>
            {t.password.changeTitle}
          </a>
          <p class="user-menu__label" aria-hidden="true">
            {t.language.label}
          </p>
          <LanguageSwitch />
          <button type="button" class="button button--secondary user-menu__signout" onClick={() => void logout()}>
            {t.userMenu.signOut}
          </button>
        </div>
      )}
    </div>
  );
}
