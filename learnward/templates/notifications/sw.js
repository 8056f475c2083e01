{% autoescape off %}/* Learnward's service worker (served at /sw.js, scope /).

   It caches nothing personal: only the offline page and static assets listed below, fetched once
   at install. Pages are never cached: a navigation goes to the network, and only when the network
   fails is the offline page shown. Nothing is added to the cache at run time.
   It also shows push notifications (the payload is minimal: no names, no content). */
const CACHE = "learnward-static-{{ version }}";
const PRECACHE = {{ precache_json }};
const STATIC_PREFIX = {{ static_prefix_json }};
const OFFLINE_URL = "/offline/";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { credentials: "omit" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const title = data.title || "{{ fallback_title|escapejs }}";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "{{ fallback_body|escapejs }}",
    icon: PRECACHE[2],
    data: { url: data.url || "/notifications/" },
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  let target = new URL((event.notification.data && event.notification.data.url) || "/notifications/", self.location.origin);
  if (target.origin !== self.location.origin) target = new URL("/notifications/", self.location.origin);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const client of windows) {
        if (client.url === target.href && "focus" in client) return client.focus();
      }
      return self.clients.openWindow(target.href);
    })
  );
});

self.addEventListener("pushsubscriptionchange", (event) => {
  const old = event.oldSubscription;
  if (!old) return;
  event.waitUntil(
    self.registration.pushManager.subscribe(old.options).then((subscription) =>
      fetch("/notifications/push/resubscribe/", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ old_endpoint: old.endpoint, subscription: subscription.toJSON() }),
      })
    )
  );
});
{% endautoescape %}
