// souk simulator: renders what souk sends a shopper, WhatsApp style, and turns
// the shopper's taps into webhooks (through POST /simulator/send).
"use strict";

const $ = (id) => document.getElementById(id);

const sim = {
  phone: "919876543210",
  name: "Asha",
  info: { currency: "EUR" },
  events: null,
  products: {}, // retailer id -> {name, description, price, currency}
  cart: new Map(), // retailer id -> {qty, catalog}
  requests: [], // {dir, title, raw} for the requests panel
};

// ---------- small DOM helpers ----------

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") n.className = v;
    else if (k === "text") n.textContent = v;
    else if (k.startsWith("on")) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    n.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return n;
}

const urlPattern = /(https?:\/\/[^\s]+)/g;

// richText renders text with line breaks and clickable links.
function richText(text, cls) {
  const p = el("p", { class: cls || "text" });
  for (const part of String(text || "").split(urlPattern)) {
    if (/^https?:\/\//.test(part)) p.append(el("a", { href: part, target: "_blank", rel: "noopener noreferrer", text: part }));
    else p.append(part);
  }
  return p;
}

function clock(d) {
  const t = d ? new Date(d) : new Date();
  return t.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

// minorDigits mirrors bot/catalog's table: the ISO 4217 currencies whose
// amounts do not have two decimal places.
const minorDigits = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

function money(amount, currency) {
  const n = Number(amount || 0).toFixed(minorDigits[currency] ?? 2);
  return currency ? `${n} ${currency}` : n;
}

function product(id) {
  const p = sim.products[id] || {};
  return {
    id,
    name: p.name || id,
    known: !!p.name,
    description: p.description || "",
    price: typeof p.price === "number" ? p.price : 0,
    currency: p.currency || sim.info.currency || "",
  };
}

function initials(s) {
  const words = String(s).replace(/[^\p{L}\p{N} ]+/gu, " ").trim().split(/\s+/);
  return ((words[0] || "?")[0] + ((words[1] || "")[0] || "")).toUpperCase();
}

function hue(s) {
  let h = 0;
  for (const c of String(s)) h = (h * 31 + c.codePointAt(0)) % 360;
  return h;
}

// scrollDown shows the newest entry of a scrolling list without moving
// the window.
function scrollDown(list) {
  list.scrollTop = list.scrollHeight;
}

// thumb is a product picture stand-in: initials on a colour from the id.
function thumb(id, big) {
  const p = product(id);
  const t = el("div", { class: big ? "thumb big" : "thumb", "aria-hidden": "true", text: initials(p.name) });
  t.style.backgroundColor = `hsl(${hue(id)} 55% 42%)`;
  return t;
}

// ---------- the chat ----------

function addBubble(side, content, meta) {
  const li = el("li", { class: `msg ${side}` });
  const b = el("div", { class: "bubble" }, content);
  b.append(el("span", { class: "time", text: clock(meta && meta.time) }));
  li.append(b);
  if (meta && meta.after) li.append(meta.after);
  if (meta && meta.kind) li.dataset.kind = meta.kind;
  $("chat").append(li);
  scrollDown($("chat"));
  return li;
}

function note(text) {
  const li = el("li", { class: "note", text });
  $("chat").append(li);
  scrollDown($("chat"));
}

function headerBlock(it) {
  if (!it.header) return null;
  if (it.header.type === "text") return el("p", { class: "header", text: it.header.text });
  return el("p", { class: "header", text: `[${it.header.type} header]` });
}

function footerBlock(text) {
  return text ? el("p", { class: "footer", text }) : null;
}

function actionButton(label, onclick, icon) {
  return el("button", { type: "button", class: "action", onclick }, icon ? el("span", { class: "action-icon", "aria-hidden": "true", text: icon }) : null, label);
}

// renderOut draws one outbound request in the chat, as the shopper sees it.
function renderOut(rec) {
  let body;
  try {
    body = JSON.parse(rec.body);
  } catch (e) {
    note("An outbound request that is not JSON arrived.");
    return;
  }
  const obj = body.messaging_object || body;
  const meta = { time: rec.time, menu: rec.id };
  switch (obj.type) {
    case "text":
      return renderText(obj.text || {}, meta);
    case "interactive":
      return renderInteractive(obj.interactive || {}, meta);
    case "template":
      return renderTemplate(obj.template || {}, meta);
    default:
      meta.kind = obj.type;
      return addBubble("in", el("p", { class: "text muted", text: `(${obj.type} message)` }), meta);
  }
}

function renderText(t, meta) {
  const catalogue = /https:\/\/wa\.me\/c\/(\d*)(KALEYRA_NUMBER-not-set)?/.exec(t.body || "");
  meta.kind = catalogue ? "catalog_link" : "text";
  const parts = [];
  const url = (urlPattern.exec(t.body || "") || [])[0];
  urlPattern.lastIndex = 0;
  if (catalogue) {
    parts.push(el("a", { class: "preview catalogue", href: catalogue[0], target: "_blank", rel: "noopener noreferrer" },
      el("div", { class: "preview-art", "aria-hidden": "true" }, el("span"), el("span"), el("span"), el("span")),
      el("div", {}, el("strong", { text: "View catalogue" }), el("small", { text: catalogue[2] ? "No business number: set KALEYRA_NUMBER" : catalogue[1] ? `Products of +${catalogue[1]} on WhatsApp` : "The business's products on WhatsApp" }))));
  } else if (t.preview_url && url) {
    let host = url;
    try { host = new URL(url).host; } catch (e) { /* keep the raw url */ }
    parts.push(el("div", { class: "preview" }, el("div", {}, el("strong", { text: host }), el("small", { text: "link preview (WhatsApp fetches it when sending)" }))));
  }
  parts.push(richText(t.body));
  return addBubble("in", parts, meta);
}

function renderInteractive(it, meta) {
  meta.kind = it.type;
  const common = [headerBlock(it), it.body ? richText(it.body.text) : null, footerBlock(it.footer && it.footer.text)];
  const action = it.action || {};
  switch (it.type) {
    case "list": {
      const btn = actionButton(action.button || "Options", () => openList(it, meta.menu), "☰");
      return addBubble("in", [...common, el("div", { class: "actions" }, btn)], meta);
    }
    case "button": {
      const row = el("div", { class: "reply-buttons" },
        (action.buttons || []).map((b) => actionButton(b.reply.title, () => sendAction({ type: "button_reply", id: b.reply.id, text: b.reply.title, context: meta.menu }), "↩")));
      return addBubble("in", common, Object.assign(meta, { after: row }));
    }
    case "product": {
      const card = productCard(action.product_retailer_id, action.catalog_id);
      return addBubble("in", [card, ...common.slice(1), el("div", { class: "actions" },
        actionButton("View", () => openProduct(action.product_retailer_id, action.catalog_id)))], meta);
    }
    case "product_list": {
      const count = (action.sections || []).reduce((n, s) => n + (s.product_items || []).length, 0);
      const first = ((action.sections || [])[0] || { product_items: [] }).product_items[0];
      const art = first ? el("div", { class: "list-art" }, thumb(first.product_retailer_id, true), el("span", { text: `${count} items` })) : null;
      return addBubble("in", [art, ...common, el("div", { class: "actions" },
        actionButton("View items", () => openProductList(it), "☰"))], meta);
    }
    default:
      return addBubble("in", [...common, el("p", { class: "text muted", text: `(interactive ${it.type})` })], meta);
  }
}

function productCard(id, catalog) {
  const p = product(id);
  return el("div", { class: "product-card" }, thumb(id, true),
    el("div", { class: "product-info" },
      el("strong", { class: "product-name", text: p.name }),
      el("span", { class: "price", text: p.known ? money(p.price, p.currency) : "price from the catalogue" }),
      p.description ? el("small", { text: p.description }) : null,
      el("small", { class: "muted", text: [id, catalog ? `catalogue ${catalog}` : ""].filter(Boolean).join(" · ") })));
}

function renderTemplate(t, meta) {
  meta.kind = "template";
  const parts = [el("p", { class: "template-tag", text: `Template ${t.name} · ${(t.language || {}).code || ""}` })];
  let productID = "", catalog = "";
  for (const c of t.components || []) {
    for (const p of c.parameters || []) {
      if (p.type === "product" && p.product) {
        productID = p.product.product_retailer_id;
        catalog = p.product.catalog_id;
        parts.push(productCard(productID, catalog));
      }
    }
  }
  const body = (t.components || []).find((c) => c.type === "body");
  if (body) {
    const ol = el("ol", { class: "params", "aria-label": "Body parameters" },
      (body.parameters || []).map((p, i) => el("li", {}, el("code", { text: `{{${i + 1}}}` }), " ", p.text || p[p.type] || "")));
    parts.push(el("p", { class: "footer", text: "The template's text lives at WhatsApp; its body parameters are:" }), ol);
  }
  if (productID) parts.push(el("div", { class: "actions" }, actionButton("View", () => openProduct(productID, catalog))));
  return addBubble("in", parts, meta);
}

// renderMine draws what the shopper did.
function renderMine(a) {
  if (a.type === "order") {
    const lines = a.items.map((it) => el("li", {}, `${it.quantity} × ${product(it.product_retailer_id).name}`, el("span", { text: money(it.quantity * it.item_price, it.currency) })));
    const total = a.items.reduce((n, it) => n + it.quantity * it.item_price, 0);
    return addBubble("out", [el("p", { class: "header", text: "Cart sent" }), el("ul", { class: "order-lines" }, lines),
      el("p", { class: "total", text: `${a.items.length} item(s) · ${money(total, (a.items[0] || {}).currency)}` })], { kind: "order" });
  }
  if (a.type === "location") {
    const l = a.location;
    return addBubble("out", [el("p", { class: "header", text: "📍 Location" }),
      el("p", { text: [l.name, l.address].filter(Boolean).join(", ") || "Pinned location" }),
      el("p", { class: "footer", text: `${l.latitude}, ${l.longitude}` })], { kind: "location" });
  }
  if (a.type === "media") {
    const m = a.media;
    return addBubble("out", [el("p", { class: "header", text: `${mediaIcons[m.type]} ${mediaNames[m.type]}` }),
      m.filename ? el("p", { class: "footer", text: m.filename }) : null,
      m.caption ? el("p", { text: m.caption }) : null].filter(Boolean), { kind: "media" });
  }
  const li = addBubble("out", richText(a.text), { kind: a.type });
  if (a.type !== "text") li.querySelector(".bubble").prepend(el("span", { class: "reply-tag", text: "tapped" }));
  return li;
}

// ---------- sheets: list, products, cart ----------

function openSheet(title, body, foot) {
  $("sheet-title").textContent = title;
  $("sheet-body").replaceChildren(...body);
  $("sheet-foot").replaceChildren(...(foot || []));
  const d = $("sheet");
  placeSheet();
  if (!d.open) d.showModal();
  const first = d.querySelector(".sheet-body button, .sheet-body [tabindex]");
  if (first) first.focus();
}

// placeSheet lays the sheet over the phone, like WhatsApp's bottom sheet.
function placeSheet() {
  const r = document.querySelector(".phone").getBoundingClientRect();
  const d = $("sheet");
  d.style.left = `${Math.max(r.left, 0)}px`;
  d.style.width = `${Math.min(r.width, window.innerWidth)}px`;
  d.style.maxHeight = `${Math.max(Math.min(r.height, window.innerHeight) * 0.85, 240)}px`;
  d.style.bottom = `${Math.max(window.innerHeight - r.bottom, 0)}px`;
}

function closeSheet() {
  if ($("sheet").open) $("sheet").close();
}

function openList(it, menu) {
  const action = it.action || {};
  const body = (action.sections || []).map((s) => el("section", { class: "sheet-section" },
    s.title ? el("h3", { text: s.title }) : null,
    el("ul", { class: "rows" }, (s.rows || []).map((r) => el("li", {},
      el("button", { type: "button", class: "row", "data-id": r.id, onclick: () => { closeSheet(); sendAction({ type: "list_reply", id: r.id, text: r.title, context: menu }); } },
        el("span", { class: "row-title", text: r.title }),
        r.description ? el("span", { class: "row-desc", text: r.description }) : null))))));
  openSheet(action.button || "Options", body);
}

function stepper(id, catalog, onchange) {
  const p = product(id);
  const out = el("output", { class: "qty", "aria-live": "polite", text: String(qty(id)) });
  const set = (n) => {
    setQty(id, n, catalog);
    out.textContent = String(qty(id));
    minus.disabled = qty(id) === 0;
    if (onchange) onchange();
  };
  const minus = el("button", { type: "button", class: "step", "aria-label": `Remove one ${p.name}`, onclick: () => set(qty(id) - 1), text: "−" });
  const plus = el("button", { type: "button", class: "step", "aria-label": `Add one ${p.name}`, onclick: () => set(qty(id) + 1), text: "+" });
  minus.disabled = qty(id) === 0;
  return el("div", { class: "stepper", role: "group", "aria-label": `Quantity of ${p.name}` }, minus, out, plus);
}

function productRow(id, catalog, onchange) {
  const p = product(id);
  return el("li", { class: "product-row", "data-id": id }, thumb(id),
    el("div", { class: "product-info" },
      el("strong", { text: p.name }),
      p.description ? el("small", { text: p.description }) : null,
      p.known ? el("span", { class: "price", text: money(p.price, p.currency) }) : el("small", { text: "not in a products file" })),
    stepper(id, catalog, onchange));
}

function cartFoot() {
  const n = cartCount();
  return [el("button", { type: "button", class: "primary", id: "view-cart", disabled: n === 0, onclick: openCart },
    n === 0 ? "Cart is empty" : `View cart (${n} item${n === 1 ? "" : "s"})`)];
}

function openProductList(it) {
  const action = it.action || {};
  const refresh = () => $("sheet-foot").replaceChildren(...cartFoot());
  const body = [it.body ? richText(it.body.text, "sheet-intro") : null].filter(Boolean);
  for (const s of action.sections || []) {
    body.push(el("section", { class: "sheet-section" }, el("h3", { text: s.title }),
      el("ul", { class: "products" }, (s.product_items || []).map((p) => productRow(p.product_retailer_id, action.catalog_id, refresh)))));
  }
  openSheet((it.header && it.header.text) || "Products", body, cartFoot());
}

function openProduct(id, catalog) {
  const p = product(id);
  const refresh = () => $("sheet-foot").replaceChildren(...cartFoot());
  openSheet(p.name, [el("div", { class: "product-detail" }, thumb(id, true),
    el("strong", { text: p.name }),
    el("span", { class: "price", text: p.known ? money(p.price, p.currency) : "not in a products file" }),
    p.description ? el("p", { text: p.description }) : null,
    el("small", { class: "muted", text: `retailer id ${id}` }),
    stepper(id, catalog, refresh))], cartFoot());
}

function openCart() {
  const items = cartItems();
  const refresh = () => openCart();
  const total = items.reduce((n, it) => n + it.quantity * it.item_price, 0);
  const body = items.length === 0 ? [el("p", { class: "sheet-intro", text: "Your cart is empty." })] :
    [el("ul", { class: "products" }, items.map((it) => productRow(it.product_retailer_id, it.catalog, refresh))),
      el("p", { class: "total", id: "cart-total", text: `Subtotal ${money(total, (items[0] || {}).currency)}` })];
  openSheet("Your cart", body, [el("button", { type: "button", class: "primary", id: "send-cart", disabled: items.length === 0, onclick: sendCart }, "Send cart")]);
}

// openPlace asks for a place to share, as WhatsApp's "Location" attachment does.
function openPlace() {
  const field = (id, label, attrs) => el("label", {}, label, el("input", Object.assign({ id, autocomplete: "off" }, attrs)));
  const body = [el("form", { class: "place-form", id: "place-form", onsubmit: (e) => { e.preventDefault(); sendPlace(); } },
    field("place-lat", "Latitude", { inputmode: "decimal", required: true, value: "18.5204" }),
    field("place-long", "Longitude", { inputmode: "decimal", required: true, value: "73.8567" }),
    field("place-name", "Name (optional)", {}),
    field("place-address", "Address (optional)", {}))];
  openSheet("Share location", body, [el("button", { type: "submit", form: "place-form", class: "primary", id: "send-place" }, "Send location")]);
}

function sendPlace() {
  const lat = Number($("place-lat").value), long = Number($("place-long").value);
  if (!Number.isFinite(lat) || !Number.isFinite(long) || Math.abs(lat) > 90 || Math.abs(long) > 180) {
    note("A location needs a latitude from -90 to 90 and a longitude from -180 to 180.");
    return;
  }
  closeSheet();
  sendAction({ type: "location", location: { latitude: lat, longitude: long,
    name: $("place-name").value.trim(), address: $("place-address").value.trim() } });
}

// The files the attach button sends, as WhatsApp's attachment menu names them.
const mediaNames = { image: "Photo", video: "Video", audio: "Audio", document: "Document" };
const mediaIcons = { image: "📷", video: "🎬", audio: "🎤", document: "📄" };
const mediaMimeTypes = { image: "image/jpeg", video: "video/mp4", audio: "audio/ogg", document: "application/pdf" };

// openMedia asks for a file to send: its type, caption and, for a document, its name.
function openMedia() {
  const field = (id, label, attrs) => el("label", {}, label, el("input", Object.assign({ id, autocomplete: "off" }, attrs)));
  const types = el("select", { id: "media-type" }, Object.keys(mediaNames).map((t) => el("option", { value: t, text: mediaNames[t] })));
  const body = [el("form", { class: "place-form", id: "media-form", onsubmit: (e) => { e.preventDefault(); sendMedia(); } },
    el("label", {}, "Type", types),
    field("media-caption", "Caption (optional)", {}),
    field("media-filename", "File name (optional)", { placeholder: "receipt.pdf" }))];
  openSheet("Send a file", body, [el("button", { type: "submit", form: "media-form", class: "primary", id: "send-media" }, "Send file")]);
}

function sendMedia() {
  const type = $("media-type").value;
  closeSheet();
  sendAction({ type: "media", media: { type, mime_type: mediaMimeTypes[type],
    caption: $("media-caption").value.trim(), filename: $("media-filename").value.trim() } });
}

// ---------- the cart ----------

function qty(id) {
  return (sim.cart.get(id) || { qty: 0 }).qty;
}

function setQty(id, n, catalog) {
  if (n <= 0) sim.cart.delete(id);
  else sim.cart.set(id, { qty: n, catalog: catalog || (sim.cart.get(id) || {}).catalog || "" });
  const count = cartCount();
  $("cart-count").textContent = String(count);
  $("cart-button").disabled = count === 0;
  $("cart-button").setAttribute("aria-label", count === 0 ? "Cart, empty" : `Cart, ${count} items`);
}

function cartCount() {
  let n = 0;
  for (const v of sim.cart.values()) n += v.qty;
  return n;
}

function cartItems() {
  return [...sim.cart.entries()].map(([id, v]) => {
    const p = product(id);
    return { product_retailer_id: id, quantity: v.qty, item_price: p.price, currency: p.currency, catalog: v.catalog };
  });
}

function sendCart() {
  const items = cartItems();
  if (items.length === 0) return;
  closeSheet();
  const catalog = items[0].catalog;
  sendAction({ type: "order", catalog_id: catalog, items: items.map(({ catalog: _, ...it }) => it) });
  sim.cart.clear();
  setQty("", 0);
}

// ---------- talking to the server ----------

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: body ? { "Content-Type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
    credentials: "same-origin",
  });
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
  if (!res.ok) throw new Error((data && data.error) || `${res.status} ${res.statusText}`);
  return data;
}

async function sendAction(a) {
  const action = Object.assign({ phone: sim.phone, name: sim.name }, a);
  renderMine(action);
  try {
    const res = await api("POST", "/simulator/send", action);
    addRequest("in", `→ POST /webhook · ${a.type} · ${res.status}`, res.webhook);
    if (res.status !== 200) note(`The webhook answered ${res.status}: ${JSON.stringify(res.response)}`);
  } catch (e) {
    note(`Not sent: ${e.message}`);
  }
  refreshState();
}

let stateTimer = 0;
function refreshStateSoon() {
  clearTimeout(stateTimer);
  stateTimer = setTimeout(refreshState, 50);
}

async function refreshState() {
  try {
    const c = await api("GET", `/simulator/conversation?phone=${encodeURIComponent(sim.phone)}`);
    $("state-name").textContent = !c.exists ? "(no conversation: the next message starts the flow)"
      : c.handed_off ? `${c.state}: handed off to a person; the bot answers again after souk handoff resume`
      : c.held ? `${c.state}: holding the answer typed so far (gather), until nothing more is typed: ${JSON.stringify(c.held)}`
      : c.state;
    $("state-version").textContent = c.exists ? String(c.version) : "–";
    $("state-active").textContent = c.last_active ? new Date(c.last_active).toLocaleString() : "–";
    $("state-vars").textContent = JSON.stringify(c.vars || {}, null, 2);
    $("state-order").textContent = c.order ? JSON.stringify(c.order, null, 2) : "none";
    $("state-place").textContent = c.location ? placeLine(c.location) : "–";
    $("state-file").textContent = c.media ? fileLine(c.media) : "–";
    document.body.dataset.state = c.exists ? c.state : "";
  } catch (e) {
    $("state-name").textContent = `unavailable: ${e.message}`;
  }
}

// placeLine and fileLine write the conversation's last place and file on one line.
function placeLine(l) {
  return [`${l.latitude || 0}, ${l.longitude || 0}`, l.name, l.address, l.url].filter(Boolean).join(" · ");
}

function fileLine(m) {
  return [m.type, m.filename, m.caption && `“${m.caption}”`, m.mime_type, m.id && `id ${m.id}`, m.url].filter(Boolean).join(" · ");
}

// ---------- the requests panel ----------

function pretty(raw) {
  try { return JSON.stringify(JSON.parse(raw), null, 2); } catch (e) { return raw; }
}

function addRequest(dir, title, raw, seq) {
  const r = { dir, title, raw };
  sim.requests.push(r);
  const pre = el("pre", { class: "code", tabindex: "0", text: $("exact").checked ? raw : pretty(raw) });
  r.pre = pre;
  const li = el("li", { class: `req ${dir}`, "data-seq": seq || "" },
    el("details", { open: true }, el("summary", { text: title }), pre));
  $("outbound").append(li);
  scrollDown($("outbound"));
}

function kindOf(raw) {
  try {
    const b = JSON.parse(raw);
    const o = b.messaging_object || b;
    if (o.type === "interactive") return o.interactive.type;
    if (o.type === "text" && /https:\/\/wa\.me\/c\//.test(o.text.body)) return "catalog_link";
    return o.type;
  } catch (e) { return "?"; }
}

// ---------- events from the server ----------

async function connect() {
  if (sim.events) sim.events.close();
  document.body.dataset.ready = "";
  $("composer-input").disabled = true;
  $("send-button").disabled = true;
  $("location-button").disabled = true;
  $("media-button").disabled = true;
  let head = 0;
  try {
    sim.info = await api("GET", "/simulator/info");
    head = sim.info.head || 0;
    showInfo();
  } catch (e) {
    note(`Cannot reach the server: ${e.message}`);
  }
  const es = new EventSource(`/simulator/events?phone=${encodeURIComponent(sim.phone)}&after=${head}`);
  sim.events = es;
  es.addEventListener("ready", (ev) => {
    $("composer-input").disabled = false;
    $("send-button").disabled = false;
    $("location-button").disabled = false;
    $("media-button").disabled = false;
    $("mode").textContent = sim.info.live ? "live sender" : "dry run";
    showFlowStatus(JSON.parse(ev.data || "{}").flow, false);
    document.body.dataset.ready = "1";
  });
  es.addEventListener("flow", (ev) => showFlowStatus(JSON.parse(ev.data), true));
  es.addEventListener("out", (ev) => {
    const rec = JSON.parse(ev.data);
    Object.assign(sim.products, rec.products || {});
    renderOut(rec);
    addRequest("out", `← ${rec.method} ${rec.path} · ${kindOf(rec.body)}`, rec.body, rec.seq);
    refreshStateSoon();
  });
  es.addEventListener("error", () => {
    $("mode").textContent = "reconnecting";
  });
}

// showFlowStatus shows a change to the flow file that did not load, with
// its problems, until a reload clears it; a reload is noted in the chat
// when it happens while the page is open.
function showFlowStatus(st, live) {
  if (!st) return;
  if (st.name && st.name !== sim.info.flow) {
    sim.info.flow = st.name;
    showInfo();
  }
  const rej = st.rejected;
  $("flow-rejected").hidden = !rej;
  document.body.dataset.flowRejected = rej ? "1" : "";
  if (rej) {
    $("flow-rejected-text").textContent =
      `The last change to ${rej.file} or its products file was not loaded: the flow from before keeps answering. ` +
      "Fix it, then save (souk serve --watch) or send SIGHUP:";
    $("flow-problems").replaceChildren(...(rej.problems || []).map((p) => el("li", { text: p })));
  } else if (live && st.reloaded && st.reloaded !== sim.reloaded) {
    note(`Flow reloaded (${st.name}): the next message uses it.`);
  }
  sim.reloaded = st.reloaded;
}

function showInfo() {
  const flow = sim.info.flow || "flow";
  $("flow-name").textContent = flow;
  $("chat-title").textContent = flow;
  $("avatar").textContent = initials(flow);
  $("live-warning").hidden = !sim.info.live;
  document.title = `${flow} · souk simulator`;
}

// ---------- wiring ----------

function switchShopper(phone, name) {
  sim.phone = phone.replace(/[^0-9]/g, "");
  sim.name = name;
  $("chat-sub").textContent = `you are +${sim.phone}${name ? ` (${name})` : ""}`;
  try { localStorage.setItem("souk-sim-shopper", JSON.stringify({ phone: sim.phone, name })); } catch (e) { /* private mode */ }
  $("chat").replaceChildren();
  $("outbound").replaceChildren();
  sim.requests = [];
  sim.cart.clear();
  setQty("", 0);
  connect();
  refreshState();
}

function init() {
  try {
    const saved = JSON.parse(localStorage.getItem("souk-sim-shopper") || "null");
    if (saved && saved.phone) Object.assign(sim, saved);
  } catch (e) { /* ignore */ }
  const params = new URLSearchParams(location.search);
  if (params.get("phone")) sim.phone = params.get("phone");
  if (params.get("name") !== null) sim.name = params.get("name");
  $("phone").value = `+${sim.phone.replace(/^\+/, "")}`;
  $("name").value = sim.name;

  $("composer").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("composer-input").value.trim();
    if (!text) return;
    $("composer-input").value = "";
    sendAction({ type: "text", text });
  });
  $("shopper-form").addEventListener("submit", (e) => {
    e.preventDefault();
    switchShopper($("phone").value, $("name").value.trim());
  });
  $("reset").addEventListener("click", async () => {
    try {
      await api("DELETE", `/simulator/conversation?phone=${encodeURIComponent(sim.phone)}`);
      $("chat").replaceChildren();
      $("outbound").replaceChildren();
      note("Conversation reset: the next message starts the flow again.");
    } catch (e) {
      note(`Reset failed: ${e.message}`);
    }
    refreshState();
  });
  $("exact").addEventListener("change", () => {
    for (const r of sim.requests) r.pre.textContent = $("exact").checked ? r.raw : pretty(r.raw);
  });
  $("cart-button").addEventListener("click", openCart);
  $("location-button").addEventListener("click", openPlace);
  $("media-button").addEventListener("click", openMedia);
  $("sheet-close").addEventListener("click", closeSheet);
  $("sheet").addEventListener("click", (e) => { if (e.target === $("sheet")) closeSheet(); });
  window.addEventListener("resize", () => { if ($("sheet").open) placeSheet(); });
  switchShopper(sim.phone, sim.name);
}

document.addEventListener("DOMContentLoaded", init);
