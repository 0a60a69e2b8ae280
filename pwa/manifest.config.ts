/** The web app manifest (written to dist/manifest.webmanifest by vite-plugin-pwa). */
import type { ManifestOptions } from 'vite-plugin-pwa';

export const THEME_COLOR = '#1c3f6e';

export const manifest: Partial<ManifestOptions> = {
  id: '/',
  name: 'Självservice – tid, resor, utlägg och lön',
  short_name: 'Självservice',
  description:
    'Fota kvitton, rapportera tid och resor, se din preliminära lönespecifikation. Chefer attesterar allt på ett ställe.',
  lang: 'sv',
  dir: 'ltr',
  start_url: '/',
  scope: '/',
  display: 'standalone',
  theme_color: THEME_COLOR,
  background_color: '#ffffff',
  categories: ['business', 'finance', 'productivity'],
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
  // Long-press on the installed app's icon: straight to the camera for a receipt, or to the attest inbox.
  shortcuts: [
    {
      name: 'Nytt kvitto',
      short_name: 'Nytt kvitto',
      description: 'Fota ett kvitto och lägg upp ett utlägg',
      url: '/expenses/new',
      icons: [{ src: '/icons/shortcut-receipt-96.png', sizes: '96x96', type: 'image/png' }],
    },
    {
      name: 'Attestera',
      short_name: 'Attestera',
      description: 'Inkorgen med allt som väntar på din attest',
      url: '/attest',
      icons: [{ src: '/icons/shortcut-attest-96.png', sizes: '96x96', type: 'image/png' }],
    },
  ],
};
