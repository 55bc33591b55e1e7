// The meeting room's screen: keeps the page in step with the group, without reloading it.
// Server-sent events from <base>/live; when those cannot be had, a look at <base>/stand every
// few seconds. Keys: 0 follows the group, 1-6 choose a scene, F full screen, + and - text size.
(function () {
  "use strict";
  var body = document.body;
  var base = body.dataset.base;
  var version = body.dataset.version;
  var pinned = body.dataset.pinned || "";
  var content = document.getElementById("content");
  var heading = document.getElementById("heading");
  var live = document.getElementById("live");
  var connection = document.getElementById("connection");
  var menu = document.getElementById("menu");
  var source = null;
  var timer = null;
  var failures = 0;
  var ended = body.dataset.status !== "ok";
  var SCALE_KEY = "kopgroep-screen-scale";

  function query() {
    return pinned ? "?toon=" + encodeURIComponent(pinned) : "";
  }

  function apply(state) {
    connection.hidden = true;
    failures = 0;
    if (state.version === version) return;
    version = state.version;
    body.dataset.version = version;
    document.documentElement.lang = state.lang;
    document.title = state.title;
    heading.textContent = state.heading;
    content.innerHTML = state.html; // built by the server from escaped texts only
    live.textContent = state.live;
    if (state.ended) {
      stop();
      body.dataset.status = state.status;
      document.querySelectorAll("header nav, header .tools, .keys").forEach(function (node) { node.remove(); });
      return;
    }
    updateMenu(state);
    fit();
  }

  // On a big screen everything stays on one screen: the type shrinks (to half at most) until the
  // scene fits. A phone scrolls instead.
  var wide = window.matchMedia("(min-width: 901px)");
  function fit() {
    var root = document.documentElement;
    var value = 1;
    root.style.setProperty("--fit", "1");
    if (!wide.matches) return;
    while (root.scrollHeight > window.innerHeight + 1 && value > 0.5) {
      value = Math.round((value - 0.05) * 100) / 100;
      root.style.setProperty("--fit", String(value));
    }
  }

  function updateMenu(state) {
    if (!menu) return;
    var buttons = menu.querySelectorAll("button[data-scene]");
    var have = Array.prototype.map.call(buttons, function (b) { return b.dataset.scene; }).join(",");
    var want = [""].concat(state.scenes.map(function (s) { return s.key; })).join(",");
    if (have !== want) {
      var focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.scene : null;
      var follow = menu.querySelector("li");
      menu.innerHTML = "";
      menu.appendChild(follow);
      state.scenes.forEach(function (scene) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        var key = document.createElement("span");
        button.type = "button";
        button.dataset.scene = scene.key;
        button.dataset.key = String(scene.number);
        key.className = "key";
        key.setAttribute("aria-hidden", "true");
        key.textContent = button.dataset.key;
        button.appendChild(key);
        button.appendChild(document.createTextNode(" " + scene.label));
        item.appendChild(button);
        menu.appendChild(item);
      });
      if (focused !== null) {
        var again = menu.querySelector('button[data-scene="' + focused + '"]');
        if (again) again.focus();
      }
    }
    menu.querySelectorAll("button[data-scene]").forEach(function (button) {
      var scene = button.dataset.scene;
      button.setAttribute("aria-pressed", String(scene === (state.pinned || "")));
      if (scene !== "" && scene === state.shown) button.setAttribute("aria-current", "true");
      else button.removeAttribute("aria-current");
    });
  }

  function stop() {
    ended = true;
    if (source) source.close();
    source = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  function connect() {
    if (ended) return;
    if (!window.EventSource) return poll();
    source = new EventSource(base + "/live" + query());
    source.addEventListener("state", function (event) { apply(JSON.parse(event.data)); });
    source.addEventListener("ended", function (event) { apply(JSON.parse(event.data)); });
    source.onerror = function () {
      failures += 1;
      if (source.readyState === EventSource.CLOSED || failures > 3) {
        // Refused (the link stopped) or no stream through this network: look now and then instead.
        source.close();
        source = null;
        poll();
      } else {
        connection.hidden = false;
      }
    };
  }

  function poll() {
    if (ended) return;
    var request = new XMLHttpRequest();
    request.open("GET", base + "/stand" + query());
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      var state = null;
      try { state = JSON.parse(request.responseText); } catch (error) { state = null; }
      if (state && typeof state.version === "string") {
        apply(state);
      } else {
        connection.hidden = false;
      }
      if (!ended) timer = setTimeout(poll, 3000);
    };
    request.onerror = function () {
      connection.hidden = false;
      timer = setTimeout(poll, 5000);
    };
    request.send();
  }

  function choose(scene) {
    if (ended || scene === pinned) return;
    pinned = scene;
    body.dataset.pinned = scene;
    var address = window.location.pathname + query();
    window.history.replaceState(null, "", address);
    if (source) source.close();
    source = null;
    if (timer) clearTimeout(timer);
    version = "";
    connect();
  }

  function remembered() {
    try { return window.localStorage.getItem(SCALE_KEY); } catch (error) { return null; }
  }

  function scale(step) {
    var now = parseFloat(remembered() || "1");
    var next = Math.min(2, Math.max(0.6, Math.round((now + step) * 10) / 10));
    document.documentElement.style.setProperty("--scale", String(next));
    try { window.localStorage.setItem(SCALE_KEY, String(next)); } catch (error) { /* not kept */ }
    fit();
  }

  function fullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    if (button.dataset.scene !== undefined) choose(button.dataset.scene);
    else if (button.id === "larger") scale(0.1);
    else if (button.id === "smaller") scale(-0.1);
    else if (button.id === "fullscreen") fullscreen();
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || ended) return;
    var target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
    var key = event.key;
    if (/^[0-9]$/.test(key) && menu) {
      var button = menu.querySelector('button[data-key="' + key + '"]');
      if (button) { choose(button.dataset.scene); button.focus(); }
    } else if (key === "f" || key === "F") {
      fullscreen();
    } else if (key === "+" || key === "=") {
      scale(0.1);
    } else if (key === "-" || key === "_") {
      scale(-0.1);
    }
  });

  var saved = remembered();
  if (saved) document.documentElement.style.setProperty("--scale", saved);
  window.addEventListener("resize", fit);
  document.addEventListener("fullscreenchange", fit);
  content.addEventListener("load", fit, true); // the chart's picture arrives after the text
  fit();
  connect();
})();
