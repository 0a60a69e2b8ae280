/**
 * "Lägg till appen på hemskärmen", on the start page until installed or dismissed (remembered
 * on the device). Browsers that offer installing (`beforeinstallprompt`) get a button; Safari
 * on iPhone and iPad has no such event, so the hint explains Share → "Lägg till på hemskärmen",
 * which an iPhone also needs before it can receive push notifications.
 */
import { signal } from '@preact/signals';
import { useLocation } from 'preact-iso';

import { useT } from '../i18n';
import { HOME } from '../routes';

interface InstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

const DISMISSED_KEY = 'selfservice.installHint.dismissed';

const promptEvent = signal<InstallPromptEvent | null>(null);
const dismissed = signal(readDismissed());
const installed = signal(isStandalone());

function readDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === '1';
  } catch {
    return false;
  }
}

function isStandalone(): boolean {
  return (
    matchMedia('(display-mode: standalone)').matches ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

/** Safari on an iPhone or iPad (iPadOS says it is a Mac, but has touch). */
function isIosSafari(): boolean {
  const agent = navigator.userAgent;
  const ios = /iPhone|iPad|iPod/.test(agent) || (/Macintosh/.test(agent) && navigator.maxTouchPoints > 1);
  return ios && /Safari/.test(agent) && !/CriOS|FxiOS|EdgiOS/.test(agent);
}

addEventListener('beforeinstallprompt', (event) => {
  event.preventDefault(); // shown as our own hint instead of the browser's mini-infobar
  promptEvent.value = event as InstallPromptEvent;
});
addEventListener('appinstalled', () => {
  installed.value = true;
  promptEvent.value = null;
});

function dismiss(): void {
  dismissed.value = true;
  try {
    localStorage.setItem(DISMISSED_KEY, '1');
  } catch {
    // not remembered: shown again next time
  }
}

export function InstallHint() {
  const t = useT();
  const { path } = useLocation();
  if (path !== HOME || installed.value || dismissed.value) return null;
  const ios = isIosSafari();
  const event = promptEvent.value;
  if (!ios && !event) return null;
  const install = async () => {
    if (!event) return;
    await event.prompt();
    const choice = await event.userChoice.catch(() => null);
    promptEvent.value = null;
    if (choice?.outcome === 'accepted') installed.value = true;
  };
  return (
    <section class="install-hint" aria-labelledby="install-hint-title">
      <h2 id="install-hint-title" class="install-hint__title">
        {t.install.title}
      </h2>
      <p>{t.install.body}</p>
      {ios && (
        <p>
          {t.install.iosSteps} {t.install.iosPush}
        </p>
      )}
      <div class="button-row">
        {!ios && event && (
          <button type="button" class="button button--primary" onClick={() => void install()}>
            {t.install.install}
          </button>
        )}
        <button type="button" class="button button--secondary" onClick={dismiss}>
          {t.install.dismiss}
        </button>
      </div>
    </section>
  );
}
