/* The offline desk (prêt secouru): records loans and returns in this browser (IndexedDB), sends
   them in order to /api/v1/offline/operations whenever the server answers, and says clearly
   whether it is connected and how many operations wait. Plain JavaScript, no build step.

   Every operation gets this browser's desk id and the next sequence number in the same
   IndexedDB transaction that queues it: sending it twice (a lost answer, two tabs) changes
   nothing on the server. An operation leaves the queue only once the server has answered for
   it. */
"use strict";
(function () {
  const root = document.getElementById("offline-desk");
  if (!root) {
    return;
  }
  const texts = JSON.parse(document.getElementById("offline-texts").textContent);
  const $ = (id) => document.getElementById(id);
  const DB_NAME = "maillon-pret-secouru";
  const RETRY_MS = 15000;
  let csrf = root.dataset.csrf;
  let db = null;
  let sending = false;
  let state = "unknown";

  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, (match, key) => String(values[key]));
  }

  // IndexedDB --------------------------------------------------------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("meta");
        request.result.createObjectStore("queue", { keyPath: "seq" });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  function done(transaction) {
    return new Promise((resolve, reject) => {
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  }

  function newDeskId() {
    if (self.crypto && crypto.randomUUID) {
      return crypto.randomUUID();
    }
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // Queue an operation: the desk id and the next number, read and written in one transaction.
  async function queue(operation) {
    const transaction = db.transaction(["meta", "queue"], "readwrite");
    const meta = transaction.objectStore("meta");
    const desk = await read(meta.get("desk"));
    const last = (await read(meta.get("seq"))) || 0;
    const seq = last + 1;
    if (!desk) {
      meta.put(newDeskId(), "desk");
    }
    meta.put(seq, "seq");
    transaction.objectStore("queue").put(Object.assign({ seq: seq }, operation));
    await done(transaction);
  }

  function read(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function waiting() {
    const transaction = db.transaction("queue", "readonly");
    return read(transaction.objectStore("queue").getAll()); // in sequence order (the key)
  }

  async function deskId() {
    return read(db.transaction("meta", "readonly").objectStore("meta").get("desk"));
  }

  async function forget(seqs) {
    const transaction = db.transaction("queue", "readwrite");
    const store = transaction.objectStore("queue");
    seqs.forEach((seq) => store.delete(seq));
    await done(transaction);
  }

  // What the page shows ----------------------------------------------------------------------
  function show(newState) {
    state = newState;
    const box = $("offline-state");
    box.dataset.state = newState;
    $("offline-state-text").textContent = texts[newState] || "";
    $("offline-login").hidden = newState !== "login";
  }

  async function render() {
    const ops = await waiting();
    const count = ops.length;
    $("offline-waiting").textContent = count === 0 ? texts.waiting_none
      : count === 1 ? texts.waiting_one : format(texts.waiting_many, { count: count });
    $("offline-waiting").dataset.count = String(count);
    const body = $("offline-queue").querySelector("tbody");
    body.replaceChildren(...ops.map((op) => {
      const row = document.createElement("tr");
      const at = new Date(op.at);
      [String(op.seq), at.toLocaleString(), texts[op.kind], op.card || "", op.barcode].forEach((value) => {
        const cell = document.createElement("td");
        cell.textContent = value;
        row.appendChild(cell);
      });
      return row;
    }));
  }

  function notice(message) {
    const box = $("offline-notice");
    box.textContent = message;
    box.hidden = !message;
  }

  function report(results) {
    const list = $("offline-results");
    results.forEach((result) => {
      const item = document.createElement("li");
      item.className = result.status === "conflict" ? "conflict" : "sent";
      const label = result.status === "conflict" ? texts.conflict : texts.sent;
      item.textContent = `${result.seq} · ${texts[result.kind]} ${result.barcode} · ${label}` +
        (result.message ? ` — ${result.message}` : "");
      list.prepend(item);
    });
  }

  // Sending ----------------------------------------------------------------------------------
  async function freshSession() {
    const response = await fetch(root.dataset.session, {
      credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" },
    });
    if (response.status === 401 || response.status === 403) {
      return false;
    }
    if (!response.ok) {
      throw new Error(String(response.status));
    }
    csrf = (await response.json()).csrf;
    return true;
  }

  async function send() {
    if (sending || !db) {
      return;
    }
    sending = true;
    try {
      const ops = await waiting();
      if (!(await freshSession())) {
        show("login");
        return;
      }
      show("online");
      const desk = await deskId();
      // One request per library (the page may have been drawn for another one), in order.
      while (ops.length) {
        const library = ops[0].library;
        const batch = [];
        while (ops.length && ops[0].library === library && batch.length < 500) {
          batch.push(ops.shift());
        }
        const response = await fetch(root.dataset.api, {
          method: "POST",
          credentials: "same-origin",
          headers: {
            "Content-Type": "application/json",
            "X-CSRFToken": csrf,
            "Idempotency-Key": `${desk}-${batch[0].seq}-${batch[batch.length - 1].seq}`,
          },
          body: JSON.stringify({
            desk: desk,
            library: library,
            operations: batch.map((op) => ({
              seq: op.seq, kind: op.kind, card: op.card || "", barcode: op.barcode, at: op.at,
            })),
          }),
        });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) {
          const message = (answer.error && answer.error.message) || String(response.status);
          show(response.status === 401 ? "login" : "online");
          notice(format(texts.refused, { message: message }));
          return;
        }
        await forget(answer.operations.map((result) => result.seq));
        report(answer.operations);
        notice("");
      }
    } catch (error) {
      show("offline"); // no answer: the server cannot be reached
    } finally {
      sending = false;
      await render();
    }
  }

  async function record(kind, card, barcode) {
    await queue({
      kind: kind, card: card, barcode: barcode, library: root.dataset.library,
      at: new Date().toISOString(),
    });
    await render();
    if (navigator.onLine) {
      send();
    } else {
      show("offline");
    }
  }

  // Scanners type the code then press Enter -------------------------------------------------
  // After an asynchronous save, the focus goes back to the form's field only if the librarian
  // left it there (or on the form's button, or nowhere): a scan typed meanwhile into another
  // field must not lose its last characters to a focus that jumps away.
  function refocus(field) {
    const active = document.activeElement;
    const stayed = active === field || active === null || active === document.body
      || (active.form === field.form && active.type === "submit");
    if (stayed) {
      field.focus();
    }
  }

  function wire() {
    const card = $("offline-card");
    const barcode = $("offline-barcode");
    const returned = $("offline-return");
    card.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        barcode.focus();
      }
    });
    $("offline-next").addEventListener("click", () => {
      card.value = "";
      card.focus();
    });
    $("offline-checkout").addEventListener("submit", async (event) => {
      event.preventDefault();
      const code = barcode.value.trim();
      if (!card.value.trim()) {
        notice(texts.card_first);
        card.focus();
        return;
      }
      if (code) {
        barcode.value = "";
        await record("checkout", card.value.trim(), code);
      }
      refocus(barcode);
    });
    $("offline-checkin").addEventListener("submit", async (event) => {
      event.preventDefault();
      const code = returned.value.trim();
      if (code) {
        returned.value = "";
        await record("checkin", "", code);
      }
      refocus(returned);
    });
    $("offline-send").addEventListener("click", () => send());
    window.addEventListener("online", () => send());
    window.addEventListener("offline", () => show("offline"));
    // navigator.onLine says nothing of a server that is down: try again now and then.
    setInterval(() => {
      if (state !== "online" || $("offline-waiting").dataset.count !== "0") {
        send();
      }
    }, RETRY_MS);
  }

  async function start() {
    if (!("indexedDB" in self)) {
      notice(texts.no_storage);
      return;
    }
    db = await openDb();
    wire();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(root.dataset.worker, { scope: root.dataset.scope })
        .catch(() => undefined); // the page still works while connected
    }
    await render();
    if (navigator.onLine) {
      await send();
    } else {
      show("offline");
    }
    root.dataset.ready = "true";
  }

  start();
})();
