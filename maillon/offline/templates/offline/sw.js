{% load static %}/* The offline desk's service worker: keeps the desk page and its files, and gives them back
   when the server cannot be reached. Operations are not its business: the page keeps them in
   IndexedDB and sends them itself. */
"use strict";
const PREFIX = "maillon-pret-secouru-";
const CACHE = PREFIX + "{{ version }}";
const PAGE = "{{ page }}";
const KEPT = [PAGE{% for asset in assets %}, "{% static asset %}"{% endfor %}];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(KEPT)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(
        keys.filter((key) => key.startsWith(PREFIX) && key !== CACHE).map((key) => caches.delete(key))
      ))
      .then(() => self.clients.claim())
  );
});

// The network first, so the page is fresh whenever the server answers; the kept copy else.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && !response.redirected) {
      await cache.put(key, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(key);
    if (kept) {
      return kept;
    }
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(networkFirst(request, PAGE));
  } else if (KEPT.includes(url.pathname)) {
    event.respondWith(networkFirst(request, url.pathname));
  }
});
