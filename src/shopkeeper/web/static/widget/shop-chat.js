/* <shop-chat>: Shopkeeper's embeddable chat widget. One vanilla custom element in Shadow DOM (styles
 * cannot leak in or out of a merchant's page), speaking the web chat protocol of docs/contracts.md:
 * session over REST, turns over the WebSocket, REST + polling when the socket is unavailable.
 * Attributes: api-base (default: same origin), language (en|pl|ar|zh|sk), open, shop-name.
 * No framework, no build step, no network beyond the shop's own API. */
(() => {
  "use strict";

  const STORE_KEY = "shopkeeper.chat.v1";
  const LANGUAGES = { en: "English", pl: "Polski", ar: "العربية", zh: "中文", sk: "Slovenčina" };
  const RTL = new Set(["ar"]);
  const T = {
    en: { open: "Chat with us", close: "Close chat", title: "Shop assistant", placeholder: "Ask about products, orders…",
      send: "Send", typing: "Assistant is typing", more: "Show more", pay: "Pay", prev: "Previous products",
      next: "Next products", language: "Language", log: "Conversation", remove: "Remove", subtotal: "Subtotal",
      discount: "Discount", shipping: "Shipping", tax: "Tax", total: "Total", track: "Track parcel",
      waiting: "Waiting for a human agent…", agent: "Agent", reviews: "reviews", stars: "out of 5 stars",
      offline: "Connection lost — retrying…", hello: "Hi! Ask me for anything in the shop.", error: "Sorry, that did not go through. Please try again.",
      methods: "Payment methods", card: "Cart", order: "Order", qty: "Qty" },
    pl: { open: "Czat z nami", close: "Zamknij czat", title: "Asystent sklepu", placeholder: "Zapytaj o produkty, zamówienia…",
      send: "Wyślij", typing: "Asystent pisze", more: "Pokaż więcej", pay: "Zapłać", prev: "Poprzednie produkty",
      next: "Następne produkty", language: "Język", log: "Rozmowa", remove: "Usuń", subtotal: "Suma częściowa",
      discount: "Rabat", shipping: "Dostawa", tax: "Podatek", total: "Razem", track: "Śledź przesyłkę",
      waiting: "Czekamy na konsultanta…", agent: "Konsultant", reviews: "opinii", stars: "na 5 gwiazdek",
      offline: "Utracono połączenie — ponawiam…", hello: "Cześć! Zapytaj mnie o cokolwiek w sklepie.", error: "Nie udało się wysłać. Spróbuj ponownie.",
      methods: "Metody płatności", card: "Koszyk", order: "Zamówienie", qty: "Ilość" },
    sk: { open: "Napíšte nám", close: "Zavrieť chat", title: "Asistent obchodu", placeholder: "Opýtajte sa na produkty, objednávky…",
      send: "Odoslať", typing: "Asistent píše", more: "Zobraziť viac", pay: "Zaplatiť", prev: "Predchádzajúce produkty",
      next: "Ďalšie produkty", language: "Jazyk", log: "Konverzácia", remove: "Odstrániť", subtotal: "Medzisúčet",
      discount: "Zľava", shipping: "Doprava", tax: "Daň", total: "Spolu", track: "Sledovať zásielku",
      waiting: "Čaká sa na operátora…", agent: "Operátor", reviews: "recenzií", stars: "z 5 hviezdičiek",
      offline: "Spojenie prerušené — skúšam znova…", hello: "Dobrý deň! Opýtajte sa ma na čokoľvek z obchodu.", error: "Nepodarilo sa odoslať. Skúste to znova.",
      methods: "Spôsoby platby", card: "Košík", order: "Objednávka", qty: "Počet" },
    ar: { open: "تحدث معنا", close: "إغلاق المحادثة", title: "مساعد المتجر", placeholder: "اسأل عن المنتجات أو الطلبات…",
      send: "إرسال", typing: "المساعد يكتب", more: "عرض المزيد", pay: "ادفع", prev: "المنتجات السابقة",
      next: "المنتجات التالية", language: "اللغة", log: "المحادثة", remove: "إزالة", subtotal: "المجموع الفرعي",
      discount: "الخصم", shipping: "الشحن", tax: "الضريبة", total: "الإجمالي", track: "تتبع الشحنة",
      waiting: "بانتظار موظف خدمة العملاء…", agent: "موظف", reviews: "تقييمات", stars: "من 5 نجوم",
      offline: "انقطع الاتصال — جارٍ إعادة المحاولة…", hello: "مرحبًا! اسألني عن أي شيء في المتجر.", error: "تعذر الإرسال. حاول مرة أخرى.",
      methods: "طرق الدفع", card: "السلة", order: "الطلب", qty: "الكمية" },
    zh: { open: "在线咨询", close: "关闭聊天", title: "购物助手", placeholder: "咨询商品、订单…",
      send: "发送", typing: "助手正在输入", more: "显示更多", pay: "付款", prev: "上一组商品",
      next: "下一组商品", language: "语言", log: "对话", remove: "删除", subtotal: "小计",
      discount: "折扣", shipping: "运费", tax: "税费", total: "合计", track: "查看物流",
      waiting: "正在等待人工客服…", agent: "客服", reviews: "条评价", stars: "星（满分5星）",
      offline: "连接已断开，正在重试…", hello: "您好！商店里的任何问题都可以问我。", error: "发送失败，请重试。",
      methods: "付款方式", card: "购物车", order: "订单", qty: "数量" },
  };

  const CSS = `
:host { all: initial; position: fixed; inset-inline-end: 20px; bottom: 20px; z-index: 2147483000;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "PingFang SC", sans-serif;
  color: #1d2330; --accent: #0f766e; --accent-ink: #fff; --soft: #f3f5f8; --line: #e3e7ee; }
* { box-sizing: border-box; }
button, input, select { font: inherit; }
.launcher { width: 60px; height: 60px; border-radius: 50%; border: 0; background: var(--accent); color: var(--accent-ink);
  box-shadow: 0 8px 24px rgba(15,118,110,.35); cursor: pointer; display: grid; place-items: center; margin-inline-start: auto; }
.launcher svg { width: 28px; height: 28px; }
.panel { width: min(400px, calc(100vw - 24px)); height: min(640px, calc(100vh - 100px)); background: #fff;
  border-radius: 18px; box-shadow: 0 18px 60px rgba(20,30,50,.28); display: flex; flex-direction: column; overflow: hidden;
  margin-bottom: 14px; }
.panel[hidden] { display: none; }
header { background: linear-gradient(135deg, #0f766e, #115e59); color: #fff; padding: 12px 14px; display: flex; align-items: center; gap: 10px; }
header .avatar { width: 34px; height: 34px; border-radius: 50%; background: rgba(255,255,255,.18); display: grid; place-items: center; font-size: 18px; }
header h2 { font-size: 15px; margin: 0; font-weight: 650; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
header p { margin: 0; font-size: 12px; opacity: .85; }
header .grow { flex: 1; min-width: 0; }
header select { background: rgba(255,255,255,.16); color: #fff; border: 1px solid rgba(255,255,255,.35); border-radius: 8px; padding: 3px 6px; }
header select option { color: #1d2330; }
header .close { background: transparent; border: 0; color: #fff; font-size: 22px; cursor: pointer; line-height: 1; padding: 2px 6px; }
.banner { background: #fff7e6; color: #8a5300; font-size: 12.5px; padding: 6px 14px; border-bottom: 1px solid #f3dfb5; }
.banner[hidden] { display: none; }
.log { flex: 1; overflow-y: auto; padding: 14px 12px; background: var(--soft); display: flex; flex-direction: column; gap: 8px; scroll-behavior: smooth; }
.turn { display: flex; flex-direction: column; gap: 6px; align-items: flex-start; max-width: 100%; }
.turn.me { align-items: flex-end; }
.stack { display: flex; flex-direction: column; gap: 6px; align-items: flex-start; width: 100%; }
.stack .btns { max-width: 85%; }
figure { margin: 0; }
.who { font-size: 11px; color: #6b7385; margin-inline-start: 4px; }
.bubble { background: #fff; border: 1px solid var(--line); border-radius: 16px; border-end-start-radius: 4px; padding: 8px 12px;
  max-width: 85%; white-space: pre-wrap; overflow-wrap: anywhere; }
.me .bubble { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); border-radius: 16px; border-end-end-radius: 4px; }
.chips { display: flex; flex-wrap: wrap; gap: 6px; max-width: 100%; }
.chip { border: 1px solid var(--accent); color: var(--accent); background: #fff; border-radius: 999px; padding: 5px 12px; cursor: pointer; }
.chip:hover, .chip:focus-visible { background: var(--accent); color: var(--accent-ink); }
.btns { display: flex; flex-direction: column; gap: 6px; min-width: 60%; }
.btn { display: block; text-align: center; border: 1px solid var(--line); background: #fff; color: var(--accent); border-radius: 10px;
  padding: 7px 12px; cursor: pointer; text-decoration: none; font-weight: 560; }
.btn:hover, .btn:focus-visible { border-color: var(--accent); }
.btn.primary { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
.image img { max-width: 240px; border-radius: 12px; display: block; }
.carousel-wrap { position: relative; width: 100%; }
.carousel { display: flex; gap: 10px; overflow-x: auto; scroll-snap-type: x mandatory; padding: 2px 2px 8px; width: 100%; scrollbar-width: thin; }
.card { flex: 0 0 196px; scroll-snap-align: start; background: #fff; border: 1px solid var(--line); border-radius: 14px; overflow: hidden; display: flex; flex-direction: column; }
.card.single { flex-basis: auto; width: 240px; }
.card img { width: 100%; aspect-ratio: 1 / 1; object-fit: cover; background: #eef1f5; display: block; }
.card .body { padding: 8px 10px 10px; display: flex; flex-direction: column; gap: 3px; flex: 1; }
.card h3 { font-size: 13.5px; margin: 0; font-weight: 620; line-height: 1.3; display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }
.card .sub { font-size: 12px; color: #6b7385; }
.price { font-weight: 700; font-size: 15px; }
.price s { color: #8a90a0; font-weight: 400; font-size: 12.5px; margin-inline-start: 6px; }
.rating { color: #b7791f; font-size: 12.5px; }
.rating span { color: #6b7385; }
.stock { font-size: 12px; color: #15803d; }
.stock.out { color: #b91c1c; }
.card .btns { margin-top: 6px; min-width: 0; }
.card .btn { padding: 5px 8px; font-size: 13px; }
.pos { position: absolute; margin: 6px; background: rgba(0,0,0,.6); color: #fff; border-radius: 999px; font-size: 11px; padding: 1px 7px; }
.card .media { position: relative; }
.arrow { position: absolute; top: 40%; width: 30px; height: 30px; border-radius: 50%; border: 1px solid var(--line); background: #fff;
  box-shadow: 0 2px 8px rgba(0,0,0,.15); cursor: pointer; z-index: 2; }
.arrow.prev { inset-inline-start: -6px; } .arrow.next { inset-inline-end: -6px; }
.more { flex: 0 0 120px; display: grid; place-items: center; border: 1px dashed var(--accent); border-radius: 14px; background: #fff; color: var(--accent); cursor: pointer; font-weight: 600; }
.sheet { background: #fff; border: 1px solid var(--line); border-radius: 14px; padding: 10px 12px; width: 92%; }
.sheet h3 { margin: 0 0 6px; font-size: 14px; display: flex; justify-content: space-between; gap: 8px; }
.badge { font-size: 11.5px; background: #e6f4f1; color: var(--accent); padding: 2px 8px; border-radius: 999px; font-weight: 600; white-space: nowrap; }
.line { display: flex; gap: 8px; align-items: center; padding: 6px 0; border-bottom: 1px solid var(--line); }
.line img { width: 40px; height: 40px; border-radius: 8px; object-fit: cover; }
.line .grow { flex: 1; min-width: 0; }
.line .t { font-size: 13px; font-weight: 560; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.line .v { font-size: 12px; color: #6b7385; }
.line .x { border: 0; background: transparent; color: #9aa1b0; cursor: pointer; font-size: 16px; }
.sum { display: flex; justify-content: space-between; font-size: 13px; padding-top: 4px; color: #4b5263; }
.sum.total { font-weight: 700; font-size: 15px; color: #1d2330; }
.sheet .btns { margin-top: 8px; }
.addr { font-size: 12.5px; color: #4b5263; margin-top: 6px; white-space: pre-wrap; }
.pay .amount { font-size: 22px; font-weight: 750; margin: 2px 0; }
.pay .methods { font-size: 12px; color: #6b7385; }
.typing { display: flex; gap: 4px; padding: 10px 12px; background: #fff; border: 1px solid var(--line); border-radius: 16px; width: fit-content; }
.typing[hidden] { display: none; }
.typing i { width: 7px; height: 7px; border-radius: 50%; background: #9aa1b0; animation: blink 1.2s infinite; }
.typing i:nth-child(2) { animation-delay: .2s; } .typing i:nth-child(3) { animation-delay: .4s; }
@keyframes blink { 0%, 80%, 100% { opacity: .25; } 40% { opacity: 1; } }
form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid var(--line); background: #fff; }
form input { flex: 1; border: 1px solid var(--line); border-radius: 999px; padding: 9px 14px; outline: none; min-width: 0; }
form input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(15,118,110,.15); }
form button { border: 0; border-radius: 999px; background: var(--accent); color: var(--accent-ink); padding: 0 16px; cursor: pointer; font-weight: 600; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 480px) { :host { inset-inline-end: 8px; bottom: 8px; } .panel { height: calc(100vh - 90px); } }
`;

  const el = (tag, attrs = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
    return node;
  };
  const newId = () => (crypto.randomUUID ? crypto.randomUUID() : `m-${Date.now()}-${Math.random().toString(16).slice(2)}`);

  class ShopChat extends HTMLElement {
    constructor() {
      super();
      this.root = this.attachShadow({ mode: "open" });
      this.seen = new Set();
      this.lastId = null;
      this.ws = null;
      this.pollTimer = null;
      this.retry = 0;
      this.session = null;
      this.pending = new Map(); // message_id -> outbound frame not yet answered (resent over REST)
      this.posting = 0;
    }

    get base() { return (this.getAttribute("api-base") || "").replace(/\/$/, ""); }
    get t() { return T[this.language] || T.en; }

    connectedCallback() {
      const stored = this.load();
      this.language = stored.language || this.getAttribute("language") || (navigator.language || "en").slice(0, 2);
      if (!LANGUAGES[this.language]) this.language = "en";
      this.render();
      if (this.hasAttribute("open")) this.toggle(true);
    }

    disconnectedCallback() { this.stop(); }

    load() { try { return JSON.parse(localStorage.getItem(STORE_KEY) || "{}"); } catch { return {}; } }
    save(extra) { localStorage.setItem(STORE_KEY, JSON.stringify({ ...this.load(), ...extra })); }

    /* -- layout ------------------------------------------------------------------------------------ */
    render() {
      const t = this.t;
      this.root.replaceChildren();
      this.root.append(el("style", { text: CSS }));
      this.langSelect = el("select", { "aria-label": t.language, onchange: (e) => this.setLanguage(e.target.value) },
        Object.entries(LANGUAGES).map(([code, name]) => el("option", { value: code, selected: code === this.language, text: name })));
      this.banner = el("div", { class: "banner", role: "status", hidden: true });
      this.log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t.log });
      this.typing = el("div", { class: "typing", role: "status", "aria-label": t.typing, hidden: true }, el("i"), el("i"), el("i"));
      this.input = el("input", { type: "text", name: "message", "aria-label": t.placeholder, placeholder: t.placeholder, autocomplete: "off" });
      this.form = el("form", { onsubmit: (e) => { e.preventDefault(); this.submitText(); } },
        this.input, el("button", { type: "submit", "aria-label": t.send, text: t.send }));
      const name = this.getAttribute("shop-name") || t.title;
      this.panel = el("section", { class: "panel", role: "dialog", "aria-label": t.title, hidden: true, id: "panel" },
        el("header", {},
          this.avatar(),
          el("div", { class: "grow" }, el("h2", { dir: "auto", text: name }), el("p", { text: t.title })),
          this.langSelect,
          el("button", { class: "close", "aria-label": t.close, onclick: () => this.toggle(false), text: "×" })),
        this.banner, this.log, this.form);
      this.launcher = el("button", { class: "launcher", "aria-label": t.open, "aria-expanded": "false", "aria-controls": "panel",
        onclick: () => this.toggle() });
      this.launcher.innerHTML = '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true"><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.4A8 8 0 1 1 21 12z"/></svg>';
      this.root.append(this.panel, this.launcher);
      this.applyDirection();
    }

    avatar() {
      const node = el("div", { class: "avatar", "aria-hidden": "true" });
      node.innerHTML = '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M6 7h12l-1 13H7L6 7z"/><path d="M9 7a3 3 0 0 1 6 0"/></svg>';
      return node;
    }

    applyDirection() {
      const rtl = RTL.has(this.language);
      this.panel.setAttribute("dir", rtl ? "rtl" : "ltr");
      this.panel.setAttribute("lang", this.language);
    }

    relabel() {
      const t = this.t;
      this.panel.setAttribute("aria-label", t.title);
      this.panel.querySelector("header p").textContent = t.title;
      this.panel.querySelector(".close").setAttribute("aria-label", t.close);
      this.langSelect.setAttribute("aria-label", t.language);
      this.log.setAttribute("aria-label", t.log);
      this.typing.setAttribute("aria-label", t.typing);
      this.input.placeholder = t.placeholder;
      this.input.setAttribute("aria-label", t.placeholder);
      const send = this.form.querySelector("button");
      send.textContent = t.send; send.setAttribute("aria-label", t.send);
      this.launcher.setAttribute("aria-label", t.open);
      this.banner.textContent = t.waiting;
      this.applyDirection();
    }

    async toggle(force) {
      const open = force ?? this.panel.hidden;
      this.panel.hidden = !open;
      this.launcher.setAttribute("aria-expanded", String(open));
      if (open) {
        if (!this.session) await this.start();
        this.input.focus();
      }
    }

    /* -- session and transport ------------------------------------------------------------------ */
    async api(method, path, body) {
      const headers = { "Content-Type": "application/json" };
      if (this.session) headers.Authorization = `Bearer ${this.session.token}`;
      const response = await fetch(this.base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
      if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
      return response.json();
    }

    async start() {
      const stored = this.load();
      this.session = await this.api("POST", "/api/v1/chat/sessions", { visitor_id: stored.visitor_id || null, language: this.language });
      this.save({ visitor_id: this.session.visitor_id, token: this.session.token, customer_id: this.session.customer_id,
        conversation_id: this.session.conversation_id, language: this.language });
      await this.loadHistory(true);
      if (!this.log.querySelector(".turn")) this.addTurn("bot", [{ type: "text", text: this.t.hello }], {});
      this.connect();
    }

    async loadHistory(initial) {
      if (!initial && this.posting) return;
      try {
        const query = this.lastId ? `?after=${encodeURIComponent(this.lastId)}` : "";
        const { messages } = await this.api("GET", `/api/v1/chat/messages${query}`);
        for (const m of messages) this.acceptHistory(m, initial);
      } catch (err) { console.warn("shop-chat history", err); }
    }

    acceptHistory(m, initial) {
      this.lastId = m.id;
      if (this.seen.has(m.id)) return;
      this.seen.add(m.id);
      if (m.direction === "in") { if (initial) this.addTurn("me", [{ type: "text", text: m.text || "" }], {}); return; }
      if (m.reply) this.renderReply(m.reply);
      else if (m.text) this.addTurn("bot", [{ type: "text", text: m.text }], {});
    }

    connect() {
      if (!("WebSocket" in window) || !this.session) return this.startPolling();
      const url = new URL(this.base + "/api/v1/chat/ws", location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      url.searchParams.set("token", this.session.token);
      const ws = new WebSocket(url);
      this.ws = ws;
      ws.onopen = () => { this.retry = 0; this.stopPolling(); this.banner.hidden = !this.waiting; this.flushPending(); };
      ws.onmessage = (event) => this.onFrame(JSON.parse(event.data));
      ws.onclose = () => {
        if (this.ws !== ws) return;
        this.ws = null;
        this.flushPending();
        this.startPolling();
        const delay = Math.min(15000, 500 * 2 ** this.retry++);
        setTimeout(() => { if (!this.ws && this.isConnected) this.connect(); }, delay);
      };
    }

    stop() { this.stopPolling(); if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); } }
    startPolling() { if (!this.pollTimer) this.pollTimer = setInterval(() => this.loadHistory(false), 3000); }
    stopPolling() { clearInterval(this.pollTimer); this.pollTimer = null; }

    onFrame(frame) {
      if (frame.type === "reply") {
        if (frame.message_id && this.seen.has(frame.message_id)) return;
        if (frame.message_id) { this.seen.add(frame.message_id); this.lastId = frame.message_id; }
        this.pending.clear();
        this.setTyping(false);
        this.renderReply(frame.reply);
      } else if (frame.type === "typing") {
        this.setTyping(true);
        clearTimeout(this.typingTimer);
        this.typingTimer = setTimeout(() => this.setTyping(false), 6000);
      } else if (frame.type === "owner") {
        this.setOwner(frame.owner);
      }
    }

    setOwner(owner) {
      this.waiting = owner === "waiting";
      this.banner.textContent = this.t.waiting;
      this.banner.hidden = !this.waiting;
    }

    setTyping(on) {
      this.typing.hidden = !on;
      if (on) { this.log.append(this.typing); this.scrollDown(); }
    }

    /* -- sending ------------------------------------------------------------------------------------ */
    submitText() {
      const text = this.input.value.trim();
      if (!text) return;
      this.input.value = "";
      this.send(text, null);
    }

    /** Public: send a message as if the shopper typed it (the storefront's category chips use this). */
    async ask(text, payload = null) { await this.toggle(true); return this.send(text, payload); }

    async send(text, payload) {
      if (!this.session) await this.start();
      this.root.querySelectorAll(".chips.quick").forEach((n) => n.remove());
      this.addTurn("me", [{ type: "text", text }], {});
      this.setTyping(true);
      // no language hint per message: the bot answers in the language the shopper writes in, and the
      // picker tells it a preference once with "/lang <code>"
      const frame = { type: "message", text, payload, message_id: newId() };
      if (this.ws && this.ws.readyState === WebSocket.OPEN) {
        this.pending.set(frame.message_id, frame);
        this.ws.send(JSON.stringify(frame));
        return;
      }
      await this.postRest(frame);
    }

    flushPending() {
      // frames sent just before the socket dropped: the REST endpoint dedupes on message_id
      for (const frame of this.pending.values()) this.postRest(frame);
      this.pending.clear();
    }

    async postRest(frame) {
      this.posting += 1; // the poller stays out of the way until this turn's replies are accounted for
      try {
        const result = await this.api("POST", "/api/v1/chat/messages",
          { text: frame.text, payload: frame.payload, message_id: frame.message_id, language: null });
        this.setTyping(false);
        this.setOwner(result.owner);
        const ids = result.message_ids || [];
        (result.replies || []).forEach((reply, i) => {
          if (ids[i] && this.seen.has(ids[i])) return; // already shown (pushed or polled)
          if (ids[i]) this.seen.add(ids[i]);
          this.renderReply(reply);
        });
        if (ids.length) this.lastId = ids[ids.length - 1];
        else await this.markSeenAfterRest(result.replies ? result.replies.length : 0);
      } catch (err) {
        this.setTyping(false);
        this.addTurn("bot", [{ type: "text", text: this.t.error }], {});
        console.warn("shop-chat send", err);
      } finally {
        this.posting -= 1;
      }
    }

    async markSeenAfterRest(rendered) {
      // The REST answer carries replies without their message ids: mark that many outbound messages
      // of the history as seen, and render any later ones (pushed while we were waiting).
      try {
        const query = this.lastId ? `?after=${encodeURIComponent(this.lastId)}` : "";
        const { messages } = await this.api("GET", `/api/v1/chat/messages${query}`);
        let skip = rendered;
        for (const m of messages) {
          if (m.direction === "out" && skip > 0 && !this.seen.has(m.id)) { skip -= 1; this.seen.add(m.id); this.lastId = m.id; continue; }
          if (m.direction === "in") { this.seen.add(m.id); this.lastId = m.id; continue; }
          this.acceptHistory(m, false);
        }
      } catch (err) { console.warn("shop-chat sync", err); }
    }

    press(button) {
      if (button.url) { window.open(button.url, "_blank", "noopener"); return; }
      this.send(button.title, button.payload || null);
    }

    async setLanguage(code) {
      this.language = code;
      this.save({ language: code });
      this.relabel();
      if (this.session) this.send(LANGUAGES[code], `/lang ${code}`);
    }

    /* -- rendering ------------------------------------------------------------------------------ */
    scrollDown() { requestAnimationFrame(() => { this.log.scrollTop = this.log.scrollHeight; }); }

    addTurn(who, parts, reply) {
      const turn = el("div", { class: `turn ${who}` });
      if (reply.language) turn.setAttribute("lang", reply.language);  // layout follows the panel; text uses dir=auto
      if (reply.sender === "agent") turn.append(el("div", { class: "who", text: this.t.agent }));
      for (const part of parts) turn.append(this.renderPart(part));
      this.log.append(turn);
      if (!this.typing.hidden) this.log.append(this.typing);
      this.scrollDown();
      return turn;
    }

    renderReply(reply) {
      // the bot answers in the language the shopper wrote in: the widget's own labels follow it
      if (reply.sender === "bot" && T[reply.language] && reply.language !== this.language) {
        this.language = reply.language;
        this.langSelect.value = reply.language;
        this.save({ language: reply.language });
        this.relabel();
      }
      this.addTurn("bot", reply.parts || [], reply);
    }

    renderPart(p) {
      switch (p.type) {
        case "text": return el("div", { class: "bubble", dir: "auto", text: p.text });
        case "quick_replies": return el("div", { class: "stack" }, el("div", { class: "bubble", dir: "auto", text: p.text }),
          el("div", { class: "chips quick", role: "group" }, p.options.map((b) => this.chip(b))));
        case "buttons": return el("div", { class: "stack" }, el("div", { class: "bubble", dir: "auto", text: p.text }),
          el("div", { class: "btns", role: "group" }, p.buttons.map((b) => this.button(b))));
        case "image": return el("figure", { class: "image" }, el("img", { src: p.url, alt: p.caption || "" }),
          p.caption ? el("figcaption", { class: "who", text: p.caption }) : null);
        case "product_card": return this.card(p, true);
        case "carousel": return this.carousel(p);
        case "cart_summary": return this.cart(p);
        case "order_summary": return this.order(p);
        case "payment_request": return this.payment(p);
        default: return el("div", { class: "bubble", text: p.text || "" });
      }
    }

    chip(b) { return el("button", { type: "button", class: "chip", onclick: () => this.press(b), text: b.title }); }

    button(b, primary) {
      if (b.url) return el("a", { class: `btn${primary ? " primary" : ""}`, href: b.url, target: "_blank", rel: "noopener", text: b.title });
      return el("button", { type: "button", class: `btn${primary ? " primary" : ""}`, onclick: () => this.press(b), text: b.title });
    }

    stars(rating, count) {
      if (rating === null || rating === undefined) return null;
      const full = Math.round(rating);
      return el("div", { class: "rating", role: "img", "aria-label": `${rating.toFixed(1)} ${this.t.stars}, ${count} ${this.t.reviews}` },
        "★".repeat(full) + "☆".repeat(5 - full), el("span", { text: ` ${rating.toFixed(1)} (${count})` }));
    }

    card(p, single) {
      return el("article", { class: `card${single ? " single" : ""}`, role: single ? null : "listitem", "aria-label": p.title },
        el("div", { class: "media" }, p.position ? el("span", { class: "pos", text: `#${p.position}` }) : null,
          el("img", { src: p.image_url || "", alt: p.title, loading: "lazy" })),
        el("div", { class: "body" },
          el("h3", { text: p.title }),
          p.subtitle ? el("div", { class: "sub", text: p.subtitle }) : null,
          el("div", { class: "price" }, p.price_text, p.compare_at_text ? el("s", { text: p.compare_at_text }) : null),
          this.stars(p.rating, p.review_count),
          p.stock_text ? el("div", { class: `stock${p.in_stock ? "" : " out"}`, text: p.stock_text }) : null,
          p.buttons && p.buttons.length ? el("div", { class: "btns" }, p.buttons.map((b, i) => this.button(b, i === 0))) : null));
    }

    carousel(p) {
      const track = el("div", { class: "carousel", role: "list", "aria-label": `${p.cards.length}` });
      for (const c of p.cards) track.append(this.card(c, false));
      if (p.more_payload) {
        track.append(el("button", { type: "button", class: "more", onclick: () => this.send(this.t.more, p.more_payload), text: `${this.t.more} →` }));
      }
      const step = (dir) => () => track.scrollBy({ left: dir * 206 * (this.panel.getAttribute("dir") === "rtl" ? -1 : 1), behavior: "smooth" });
      return el("div", { class: "carousel-wrap" },
        p.cards.length > 1 ? el("button", { type: "button", class: "arrow prev", "aria-label": this.t.prev, onclick: step(-1), text: "‹" }) : null,
        track,
        p.cards.length > 1 ? el("button", { type: "button", class: "arrow next", "aria-label": this.t.next, onclick: step(1), text: "›" }) : null);
    }

    lines(lines, removable) {
      return lines.map((l) => el("div", { class: "line" },
        l.image_url ? el("img", { src: l.image_url, alt: "" }) : null,
        el("div", { class: "grow" }, el("div", { class: "t", text: l.title }),
          el("div", { class: "v", text: [l.variant_title, `${this.t.qty} ${l.quantity} × ${l.unit_price_text}`].filter(Boolean).join(" · ") })),
        el("strong", { text: l.total_text }),
        removable ? el("button", { type: "button", class: "x", "aria-label": `${this.t.remove} ${l.title}`,
          onclick: () => this.send(`${this.t.remove} ${l.title}`, `/remove ${l.line_id}`), text: "×" }) : null));
    }

    sum(label, value, total) { return value ? el("div", { class: `sum${total ? " total" : ""}` }, el("span", { text: label }), el("span", { text: value })) : null; }

    cart(p) {
      const t = this.t;
      return el("section", { class: "sheet", "aria-label": t.card },
        el("h3", {}, el("span", { text: t.card })),
        this.lines(p.lines, true),
        this.sum(t.subtotal, p.subtotal_text), this.sum(t.discount, p.discount_text), this.sum(t.shipping, p.shipping_text),
        this.sum(t.tax, p.tax_text), this.sum(t.total, p.total_text, true),
        p.buttons && p.buttons.length ? el("div", { class: "btns" }, p.buttons.map((b, i) => this.button(b, i === 0))) : null);
    }

    order(p) {
      const t = this.t;
      return el("section", { class: "sheet", "aria-label": `${t.order} ${p.number}` },
        el("h3", {}, el("span", { text: `${t.order} ${p.number}` }), el("span", { class: "badge", text: p.status_text })),
        this.lines(p.lines, false),
        this.sum(t.total, p.total_text, true),
        p.shipping_address ? el("div", { class: "addr", text: p.shipping_address }) : null,
        el("div", { class: "btns" },
          p.tracking_url ? this.button({ title: t.track, url: p.tracking_url }) : null,
          (p.buttons || []).map((b) => this.button(b))));
    }

    payment(p) {
      const t = this.t;
      return el("section", { class: "sheet pay", "aria-label": `${t.pay} ${p.amount_text}` },
        el("div", { class: "amount", text: p.amount_text }),
        p.methods && p.methods.length ? el("div", { class: "methods", text: `${t.methods}: ${p.methods.join(", ")}` }) : null,
        el("div", { class: "btns" }, el("button", { type: "button", class: "btn primary",
          onclick: () => window.open(p.url, "_blank"), text: `${t.pay} ${p.amount_text}` })));
    }
  }

  if (!customElements.get("shop-chat")) customElements.define("shop-chat", ShopChat);
})();
