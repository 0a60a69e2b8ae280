import { useLocation } from 'preact-iso';

import { useT } from '../i18n';
import { HOME, isInSection, navItems } from '../routes';
import { status, user } from '../session';
import { LanguageSwitch } from './LanguageSwitch';
import { NoticeBell } from './NoticeBell';
import { OfflineBar } from '../offline/OfflineBar';
import { UpdateBanner } from './UpdateBanner';
import { UserMenu } from './UserMenu';

export function Header() {
  const t = useT();
  const { path } = useLocation();
  const current = user.value;
  const signedIn = status.value === 'signed-in' && current !== null;
  const items = current ? navItems(current) : [];
  // The menu entry this page belongs to: the longest that contains it (/payroll/periods, not /payroll).
  const section = items
    .map((item) => item.path)
    .filter((candidate) => isInSection(path, candidate))
    .sort((a, b) => b.length - a.length)[0];
  return (
    <header class="app-header">
      <div class="app-header__bar">
        {signedIn ? (
          <a class="app-header__brand" href={HOME}>
            {t.app.name}
          </a>
        ) : (
          <span class="app-header__brand">{t.app.name}</span>
        )}
        {signedIn && <NoticeBell />}
        {signedIn ? <UserMenu user={current} /> : status.value === 'signed-out' && <LanguageSwitch />}
      </div>
      {signedIn && (
        <nav class="app-nav" aria-label={t.nav.label}>
          <ul>
            {items.map((item) => (
              <li key={item.path}>
                <a href={item.path} aria-current={path === item.path ? 'page' : item.path === section ? 'true' : undefined}>
                  {item.label(t)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <UpdateBanner />
      {signedIn && <OfflineBar />}
    </header>
  );
}
