// keikakun service worker: keeps the app shell (hashed bundles, icons, offline page) so the app
// starts and explains itself without a connection. Pages and API answers are never cached: they
// can hold personal data. `scripts/build` fills in the two placeholders.
'use strict';

const BUILD_ID = '__KK_BUILD_ID__';
const SHELL_CACHE = `keikakun-shell-${BUILD_ID}`;
const PRECACHE = __KK_PRECACHE__;
const OFFLINE_PAGE = '/offline.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith('keikakun-shell-') && key !== SHELL_CACHE)
          .map((key) => caches.delete(key)),
      ))
      .then(() => self.clients.claim()),
  );
});

function isShellAsset(url) {
  return url.pathname.startsWith('/pkg/')
    || url.pathname.startsWith('/icons/')
    || url.pathname === '/manifest.webmanifest';
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(() => caches.match(OFFLINE_PAGE, { cacheName: SHELL_CACHE })),
    );
    return;
  }

  if (isShellAsset(url)) {
    event.respondWith(
      caches.match(request, { cacheName: SHELL_CACHE })
        .then((cached) => cached || fetch(request)),
    );
  }
});
