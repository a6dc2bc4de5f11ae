// Tandem's service worker (served at /sw.js by tandem/offline/views.py, which puts
// `TANDEM` above this: the cache version, the app shell's addresses, the offline page).
//
// It keeps the app shell (styles, scripts, icons) and the offline page, so that a page
// opened without a connection still looks like Tandem and says what this device holds.
// Pages of a record are never kept: they are `no-store`, a shared tablet keeps no copy.
// Writes (POST) pass through untouched: offline.js queues them in IndexedDB.
/* global TANDEM */
"use strict";

var CACHE = "tandem-shell-" + TANDEM.version;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches
      .open(CACHE)
      .then(function (cache) {
        return cache.addAll(TANDEM.shell.concat([TANDEM.offlinePage]));
      })
      .then(function () {
        return self.skipWaiting();
      })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches
      .keys()
      .then(function (names) {
        return Promise.all(
          names
            .filter(function (name) {
              return name.indexOf("tandem-shell-") === 0 && name !== CACHE;
            })
            .map(function (name) {
              return caches.delete(name);
            })
        );
      })
      .then(function () {
        return self.clients.claim();
      })
  );
});

function isShell(url) {
  return url.origin === self.location.origin && TANDEM.shell.indexOf(url.pathname) !== -1;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return; // writes go to the server (or offline.js's queue)
  var url = new URL(request.url);
  if (isShell(url)) {
    // The app shell: from the cache, else the network.
    event.respondWith(
      caches.match(request, { cacheName: CACHE }).then(function (hit) {
        return hit || fetch(request);
      })
    );
    return;
  }
  if (request.mode === "navigate" && !self.navigator.onLine) {
    // A page: always from the server (the browser's own request: the worker steps in
    // only when the device has no connection); without one, the offline page.
    event.respondWith(
      fetch(request).catch(function () {
        return caches.match(TANDEM.offlinePage, { cacheName: CACHE }).then(function (hit) {
          return hit || Response.error();
        });
      })
    );
  }
});
