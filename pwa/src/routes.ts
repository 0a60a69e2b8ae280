/**
 * Every screen behind the login, in one list. A new area adds its folder under
 * `src/pages/<area>/` and one entry here; entries with `nav` appear in the main menu
 * for the roles given (everyone when `roles` is left out), or, with `attesters`, for everyone
 * who has an attest inbox (a substitute acting for a manager too).
 */
import type { AnyComponent } from 'preact';
import { lazy } from 'preact-iso';

import type { Role, User } from './api';
import type { Messages } from './i18n';

export interface AppRoute {
  /** A preact-iso pattern: `/expenses`, `/expenses/:id`. */
  path: string;
  /** Loaded when first visited, so each area is its own small download. */
  component: AnyComponent<any>;
  nav?: {
    label: (t: Messages) => string;
    roles?: Role[];
    /** Shown to whoever attests (`User.attests`), whatever their roles. */
    attesters?: boolean;
  };
}

/** Where signing in leads, and where `/` goes. */
export const HOME = '/start';
export const LOGIN = '/login';
/** Pages that work signed out: asking for a reset link and using it. */
export const FORGOT_PASSWORD = '/password/forgot';
export const RESET_PASSWORD = '/password/reset';

export const routes: AppRoute[] = [
  {
    path: '/start',
    component: lazy(() => import('./pages/start/StartPage').then((m) => m.StartPage)),
    nav: { label: (t) => t.nav.start },
  },
  {
    path: '/expenses',
    component: lazy(() => import('./pages/expenses/ExpensesPage').then((m) => m.ExpensesPage)),
    nav: { label: (t) => t.nav.expenses, roles: ['employee'] },
  },
  {
    path: '/expenses/new',
    component: lazy(() => import('./pages/expenses/CapturePage').then((m) => m.CapturePage)),
  },
  {
    path: '/expenses/claims/:id',
    component: lazy(() => import('./pages/expenses/ClaimPage').then((m) => m.ClaimPage)),
  },
  {
    path: '/expenses/:id',
    component: lazy(() => import('./pages/expenses/ExpensePage').then((m) => m.ExpensePage)),
  },
  {
    path: '/time',
    component: lazy(() => import('./pages/time/TimePage').then((m) => m.TimePage)),
    nav: { label: (t) => t.nav.time, roles: ['employee'] },
  },
  {
    path: '/time/weeks/:id',
    component: lazy(() => import('./pages/time/TimePage').then((m) => m.WeekPage)),
  },
  {
    path: '/travel',
    component: lazy(() => import('./pages/travel/TravelPage').then((m) => m.TravelPage)),
    nav: { label: (t) => t.nav.travel, roles: ['employee'] },
  },
  {
    path: '/travel/claims/:id',
    component: lazy(() => import('./pages/travel/TravelClaimPage').then((m) => m.TravelClaimPage)),
  },
  {
    path: '/leave',
    component: lazy(() => import('./pages/leave/LeavePage').then((m) => m.LeavePage)),
    nav: { label: (t) => t.nav.leave, roles: ['employee'] },
  },
  {
    path: '/leave/:id',
    component: lazy(() => import('./pages/leave/LeaveRequestPage').then((m) => m.LeaveRequestPage)),
  },
  {
    path: '/notifications',
    component: lazy(() => import('./pages/notifications/NotificationsPage').then((m) => m.NotificationsPage)),
  },
  {
    path: '/settings/password',
    component: lazy(() => import('./pages/password/ChangePasswordPage').then((m) => m.ChangePasswordPage)),
  },
  {
    path: '/notifications/settings',
    component: lazy(() =>
      import('./pages/notifications/NotificationSettingsPage').then((m) => m.NotificationSettingsPage),
    ),
  },
  {
    path: '/attest',
    component: lazy(() => import('./pages/attest/InboxPage').then((m) => m.InboxPage)),
    nav: { label: (t) => t.nav.attest, attesters: true },
  },
  {
    path: '/attest/items/:id',
    component: lazy(() => import('./pages/attest/ItemPage').then((m) => m.ItemPage)),
  },
  {
    path: '/attest/archive',
    component: lazy(() => import('./pages/attest/ArchivePage').then((m) => m.ArchivePage)),
  },
  {
    path: '/attest/insight',
    component: lazy(() => import('./pages/attest/InsightPage').then((m) => m.InsightPage)),
  },
  {
    path: '/attest/delegations',
    component: lazy(() => import('./pages/attest/DelegationsPage').then((m) => m.DelegationsPage)),
  },
  {
    path: '/payslip',
    component: lazy(() => import('./pages/payslip/PayslipPage').then((m) => m.PayslipPage)),
    nav: { label: (t) => t.nav.payslip, roles: ['employee'] },
  },
  {
    path: '/payroll',
    component: lazy(() => import('./pages/payroll/PayrollPage').then((m) => m.PayrollPage)),
    nav: { label: (t) => t.nav.payroll, roles: ['payroll'] },
  },
  {
    path: '/payroll/periods',
    component: lazy(() => import('./pages/payroll/PeriodsPage').then((m) => m.PeriodsPage)),
    nav: { label: (t) => t.nav.periods, roles: ['payroll', 'admin'] },
  },
  {
    path: '/payroll/export-settings',
    component: lazy(() => import('./pages/payroll/ExportSettingsPage').then((m) => m.ExportSettingsPage)),
  },
  {
    path: '/cases',
    // In the user menu, not the main one: a reporter looks for it seldom (the menu stays six entries on a phone).
    component: lazy(() => import('./pages/cases/MyCasesPage').then((m) => m.MyCasesPage)),
  },
  {
    path: '/case-inbox',
    component: lazy(() => import('./pages/cases/CaseInboxPage').then((m) => m.CaseInboxPage)),
    nav: { label: (t) => t.nav.caseInbox, roles: ['payroll'] },
  },
  {
    path: '/cases/:id',
    component: lazy(() => import('./pages/cases/CasePage').then((m) => m.CasePage)),
  },
  {
    // What was done offline and waits on the phone (linked from the header's badge).
    path: '/outbox',
    component: lazy(() => import('./pages/outbox/OutboxPage').then((m) => m.OutboxPage)),
  },
];

/** Whether a preact-iso pattern (`/expenses/:id`) matches an address's path. */
function matches(pattern: string, path: string): boolean {
  const want = pattern.split('/');
  const have = path.split('/');
  return want.length === have.length && want.every((part, i) => part.startsWith(':') || part === have[i]);
}

/**
 * Start downloading the page the app opens on (`/` is the start page) while the session is
 * still being checked, instead of after: one round trip less before the first real content.
 */
export function preloadRoute(path: string): void {
  const route = routes.find((candidate) => matches(candidate.path, path === '/' ? HOME : path));
  const component = route?.component as { preload?: () => Promise<unknown> } | undefined;
  component?.preload?.().catch(() => undefined); // a failed download shows when the page renders
}

/** The menu entry a page belongs to: `/expenses/123` is part of `/expenses`. */
export function isInSection(path: string, section: string): boolean {
  return path === section || path.startsWith(`${section}/`);
}

export function navItems(user: Pick<User, 'roles' | 'attests'>): Array<{ path: string; label: (t: Messages) => string }> {
  const shown = (nav: NonNullable<AppRoute['nav']>) =>
    nav.attesters ? user.attests : !nav.roles || nav.roles.some((role) => user.roles.includes(role));
  return routes.flatMap((route) => (route.nav && shown(route.nav) ? [{ path: route.path, label: route.nav.label }] : []));
}

/** Only paths inside this app are followed after sign-in (never another site). */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return HOME;
  if (next === LOGIN || next.startsWith(`${LOGIN}?`) || next === '/') return HOME;
  return next;
}
